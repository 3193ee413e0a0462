global using System.Numerics;
global using NormCourse.Tensors;
