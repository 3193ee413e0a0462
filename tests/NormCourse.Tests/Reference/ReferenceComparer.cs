using System.Globalization;
using System.Numerics;
using System.Text;

namespace NormCourse.Tests.Reference;

/// <summary>
/// Compares a computed tensor with a reference tensor, value by value.
/// </summary>
/// <remarks>
/// The criterion for each value is |actual − expected| ≤ tol · (|expected| + rms(expected)). It is relative to
/// the value itself, with an absolute floor at the tensor's RMS magnitude. The floor is needed because of
/// cancellation. An element of dL/dx is a difference of terms as large as the tensor's typical entries (for
/// BatchNorm, m·dy − Σdy − x̂·Σ(dy·x̂)). So an element that happens to be near zero can be computed no more
/// accurately than rounding at that typical scale allows. A pure relative test would fail it for a correct
/// layer. For an all-zero expected tensor the floor is 1, so the test is absolute. The tolerances are 1e-10 for
/// float64 and 1e-5 for float32. generate_fixtures.py applies the same measure when it checks PyTorch's float32
/// results against float64.
/// </remarks>
public static class ReferenceComparer
{
    /// <summary>The tolerance for a fixture's dtype.</summary>
    public static double Tolerance(bool float32) => float32 ? 1e-5 : 1e-10;

    /// <summary>
    /// Returns null when every value passes. Otherwise it returns a message naming <paramref name="what"/>,
    /// the number of failing values, the worst one (index, expected, actual) and the first few others.
    /// </summary>
    public static string? Compare<T>(string what, ReadOnlySpan<T> actual, FixtureTensor expected, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = expected.Data;
        if (actual.Length != e.Length)
            return $"{what}: {actual.Length} values, expected {e.Length} (shape ({string.Join(", ", expected.Shape)})).";
        double rms = e.Length == 0 ? 0 : Math.Sqrt(e.Sum(v => v * v) / e.Length);
        double floor = rms > 0 ? rms : 1.0;
        int failures = 0, worstIndex = -1;
        double worst = 0;
        var first = new StringBuilder();
        for (int i = 0; i < e.Length; i++)
        {
            double a = double.CreateChecked(actual[i]);
            double error = Math.Abs(a - e[i]) / (Math.Abs(e[i]) + floor);
            // NaN never satisfies `error <= tolerance`, so a NaN output fails.
            if (error <= tolerance) continue;
            failures++;
            if (failures <= 4)
                first.Append(CultureInfo.InvariantCulture, $" [{i}] expected {e[i]:R} actual {a:R};");
            // The first NaN stays the worst; otherwise the largest error wins.
            if (worstIndex < 0 || (!double.IsNaN(worst) && !(error <= worst)))
            {
                worst = error;
                worstIndex = i;
            }
        }
        if (failures == 0) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{what}: {failures}/{e.Length} values off (worst [{worstIndex}] expected {e[worstIndex]:R} actual " +
            $"{double.CreateChecked(actual[worstIndex]):R}, error {worst:G3} > {tolerance:G3}, rms {rms:G4});{first}");
    }
}
