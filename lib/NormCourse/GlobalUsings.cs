global using System.Numerics;
// System.Numerics.Tensors also defines a Tensor<T>; only its vector kernels are used here.
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
