using System.Globalization;

namespace NormCourse.Experiments;

/// <summary>
/// One configuration field's value in a sweep, as it appears in the results table: numbers as <see cref="double"/>,
/// booleans as <see cref="bool"/>, anything else (an enum, a schedule) as its string.
/// </summary>
/// <param name="Name">The axis name, a column of the results table.</param>
/// <param name="Value">A <see cref="double"/>, a <see cref="bool"/> or a <see cref="string"/>.</param>
public sealed record SweepValue(string Name, object Value)
{
    /// <summary>Converts a configuration value to its table form.</summary>
    public static SweepValue Of<TValue>(string name, TValue value) => new(name, value switch
    {
        null => "",
        bool b => b,
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    });

    /// <inheritdoc />
    public override string ToString() => $"{Name}={Convert.ToString(Value, CultureInfo.InvariantCulture)}";
}
