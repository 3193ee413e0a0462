using System.Numerics;
using NormCourse.Tensors;

namespace NormCourse.Tests.Reference;

/// <summary>
/// Replays every PyTorch fixture (tests/NormCourse.Tests/Fixtures, written by tests/fixtures/generate_fixtures.py)
/// on the C# layer. Each step compares the output, dL/dx, dL/dγ and dL/dβ, and the running statistics and batch
/// count after the step. Each fixture file is its own test case.
/// </summary>
public sealed class PyTorchFixtureTests
{
    /// <summary>One row per fixture file.</summary>
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in ReferenceFixture.Names()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Layer_matches_PyTorch(string fixture)
    {
        var f = ReferenceFixture.Load(fixture);
        var failures = f.Float32 ? Replay<float>(f) : Replay<double>(f);
        Assert.True(failures.Count == 0, $"{f.Name} ({f.Description}):\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public void Every_layer_has_fixtures_in_both_precisions()
    {
        var fixtures = ReferenceFixture.Names().Select(ReferenceFixture.Load).ToList();
        string[] layers = ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "RMSNorm", "BatchRenorm1d", "BatchRenorm2d"];
        foreach (var layer in layers)
        foreach (bool float32 in new[] { false, true })
            Assert.Contains(fixtures, f => f.Layer == layer && f.Float32 == float32);
    }

    /// <summary>Runs the fixture's steps in order on one layer and returns every mismatch found.</summary>
    private static List<string> Replay<T>(ReferenceFixture f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double tol = ReferenceComparer.Tolerance(f.Float32);
        var layer = LayerUnderTest<T>.Create(f);
        var failures = new List<string>();
        void Check(string what, Tensor<T>? actual, FixtureTensor? expected)
        {
            if (expected is null && actual is null) return;
            if (expected is null || actual is null)
            {
                failures.Add($"{what}: PyTorch has {(expected is null ? "none" : "one")}, the C# layer has {(actual is null ? "none" : "one")}.");
                return;
            }
            if (ReferenceComparer.Compare(what, actual.Span, expected, tol) is { } message) failures.Add(message);
        }

        for (int s = 0; s < f.Steps.Count; s++)
        {
            var step = f.Steps[s];
            string at = $"step {s} ({(step.Training ? "train" : "eval")})";
            layer.Module.Train(step.Training);
            if (step.RMax is { } rMax && step.DMax is { } dMax)
            {
                Assert.NotNull(layer.SetClipping);
                layer.SetClipping(rMax, dMax);
            }
            layer.Module.ZeroGrad();

            var output = layer.Module.Forward(step.Input.ToTensor<T>());
            Assert.True(output.HasShape(step.Output.Shape), $"{at}: output shape {output.ShapeString}, expected ({string.Join(", ", step.Output.Shape)}).");
            Check($"{at} output", output, step.Output);

            var gradInput = layer.Module.Backward(step.GradOutput.ToTensor<T>());
            Assert.True(gradInput.HasShape(step.GradInput.Shape), $"{at}: grad_input shape {gradInput.ShapeString}.");
            Check($"{at} grad_input", gradInput, step.GradInput);
            Check($"{at} grad_weight", layer.Weight?.Grad, step.GradWeight);
            Check($"{at} grad_bias", layer.Bias?.Grad, step.GradBias);

            Check($"{at} running_mean", layer.RunningMean(), step.RunningMean);
            Check($"{at} running_var", layer.RunningVar(), step.RunningVar);
            Check($"{at} running_std", layer.RunningStd(), step.RunningStd);
            long? batches = layer.NumBatchesTracked();
            if (step.NumBatchesTracked != batches)
                failures.Add($"{at} num_batches_tracked: expected {step.NumBatchesTracked?.ToString() ?? "none"}, actual {batches?.ToString() ?? "none"}.");
        }
        return failures;
    }
}
