namespace NormCourse.Tensors.Simd;

/// <summary>The width of the vectors a float kernel runs on, in bits: 4, 8 or 16 floats per instruction.</summary>
internal enum VectorWidth
{
    /// <summary>SSE and Arm NEON: <see cref="Float128"/>, 4 floats.</summary>
    Bits128 = 128,

    /// <summary>AVX2: <see cref="Float256"/>, 8 floats.</summary>
    Bits256 = 256,

    /// <summary>AVX-512: <see cref="Float512"/>, 16 floats.</summary>
    Bits512 = 512,
}
