namespace NormCourse.Course;

/// <summary>What running one lesson (notebook or script twin) gave.</summary>
/// <param name="Lesson">The lesson's file name without extension, e.g. <c>02-deriving-batchnorm</c>.</param>
/// <param name="Seconds">Wall-clock running time, kernel start-up included.</param>
/// <param name="Passed">True when every cell ran without error (a script: exit code 0).</param>
/// <param name="Failure">For a failed lesson: the first failing cell and its error, or the runner's message.</param>
/// <param name="OutputPath">The executed notebook (null for a script).</param>
public sealed record LessonResult(string Lesson, double Seconds, bool Passed, string? Failure, string? OutputPath);
