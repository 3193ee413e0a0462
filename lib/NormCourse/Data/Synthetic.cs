using MathNet.Numerics.Distributions;
using NormCourse.Tensors;

namespace NormCourse.Data;

/// <summary>
/// Small, seeded 2-D and n-D classification problems for lessons that need a controlled task: two spirals,
/// two moons, Gaussian blobs, and labels given by a random "teacher" network. Same seed, same dataset.
/// </summary>
/// <remarks>Examples come in a seeded random order, so the first ones already mix the classes.</remarks>
public static class Synthetic
{
    /// <summary>
    /// Interleaved spirals (two by default), features (N, 2). Point i of class c has t = (i + 0.5)/n ∈ (0, 1),
    /// radius r = t and angle θ = 2π·turns·t + 2πc/classes, so x = r·(cos θ, sin θ) + noise·𝒩(0, I).
    /// </summary>
    /// <param name="countPerClass">Points per spiral, n.</param>
    /// <param name="noise">Standard deviation of the Gaussian added to each coordinate.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="classes">The number of spirals (classes).</param>
    /// <param name="turns">How many turns each spiral makes.</param>
    public static LabeledDataset Spirals(int countPerClass, double noise, int seed, int classes = 2, double turns = 1.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(countPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var rng = new Random(seed);
        int n = countPerClass * classes;
        var x = new float[2 * n];
        var y = new int[n];
        for (int c = 0, k = 0; c < classes; c++)
        {
            for (int i = 0; i < countPerClass; i++, k++)
            {
                double t = (i + 0.5) / countPerClass;
                double theta = 2 * Math.PI * turns * t + 2 * Math.PI * c / classes;
                x[2 * k] = (float)(t * Math.Cos(theta) + noise * Normal.Sample(rng, 0, 1));
                x[2 * k + 1] = (float)(t * Math.Sin(theta) + noise * Normal.Sample(rng, 0, 1));
                y[k] = c;
            }
        }
        return Shuffled("spirals", x, y, 2, classes, rng);
    }

    /// <summary>
    /// Two interleaving half circles (scikit-learn's make_moons), features (N, 2). With t evenly spaced in [0, π]:
    /// class 0 is (cos t, sin t), class 1 is (1 − cos t, 0.5 − sin t); each coordinate gets noise·𝒩(0, 1).
    /// </summary>
    /// <param name="count">Points in all; class 0 gets the extra one when odd.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise.</param>
    /// <param name="seed">The seed.</param>
    public static LabeledDataset Moons(int count, double noise, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var rng = new Random(seed);
        int outer = (count + 1) / 2, inner = count - outer;
        var x = new float[2 * count];
        var y = new int[count];
        for (int k = 0; k < count; k++)
        {
            bool isOuter = k < outer;
            int i = isOuter ? k : k - outer;
            int m = isOuter ? outer : inner;
            double t = m == 1 ? 0 : Math.PI * i / (m - 1);
            double px = isOuter ? Math.Cos(t) : 1 - Math.Cos(t);
            double py = isOuter ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * k] = (float)(px + noise * Normal.Sample(rng, 0, 1));
            x[2 * k + 1] = (float)(py + noise * Normal.Sample(rng, 0, 1));
            y[k] = isOuter ? 0 : 1;
        }
        return Shuffled("moons", x, y, 2, 2, rng);
    }

    /// <summary>
    /// Isotropic Gaussian blobs (scikit-learn's make_blobs), features (N, dims): class c's centre is drawn
    /// uniformly from [−centerBox, centerBox]^dims and its points are centre + spread·𝒩(0, I).
    /// </summary>
    /// <param name="countPerClass">Points per class.</param>
    /// <param name="numClasses">The number of blobs.</param>
    /// <param name="dims">The number of features.</param>
    /// <param name="spread">The standard deviation around each centre.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="centerBox">Half the side of the box the centres are drawn from.</param>
    public static LabeledDataset Blobs(int countPerClass, int numClasses, int dims, double spread, int seed, double centerBox = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(countPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dims, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(spread);
        var rng = new Random(seed);
        var centres = new double[numClasses * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = (2 * rng.NextDouble() - 1) * centerBox;
        int n = countPerClass * numClasses;
        var x = new float[n * dims];
        var y = new int[n];
        for (int k = 0; k < n; k++)
        {
            int c = k / countPerClass;
            for (int j = 0; j < dims; j++) x[k * dims + j] = (float)(centres[c * dims + j] + spread * Normal.Sample(rng, 0, 1));
            y[k] = c;
        }
        return Shuffled("blobs", x, y, dims, numClasses, rng);
    }

    /// <summary>
    /// A task whose labels come from a random "teacher" network, features (N, inputDim): x ~ 𝒩(0, I),
    /// y = argmax(W₂ · tanh(W₁ x)), with W₁ (hidden × inputDim) ~ 𝒩(0, 1/inputDim) and W₂ (numClasses × hidden)
    /// ~ 𝒩(0, 1/hidden). A student of the same shape can fit it exactly, so only optimisation is at stake.
    /// </summary>
    /// <param name="count">The number of examples.</param>
    /// <param name="inputDim">The number of features.</param>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="seed">The seed (of the teacher and of the inputs).</param>
    /// <param name="hidden">The teacher's hidden width.</param>
    public static LabeledDataset RandomTeacher(int count, int inputDim, int numClasses, int seed, int hidden = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        var rng = new Random(seed);
        var w1 = Gaussian(rng, hidden * inputDim, 1.0 / Math.Sqrt(inputDim));
        var w2 = Gaussian(rng, numClasses * hidden, 1.0 / Math.Sqrt(hidden));
        var x = new float[count * inputDim];
        var y = new int[count];
        var h = new double[hidden];
        for (int k = 0; k < count; k++)
        {
            var xk = x.AsSpan(k * inputDim, inputDim);
            for (int j = 0; j < inputDim; j++) xk[j] = (float)Normal.Sample(rng, 0, 1);
            for (int u = 0; u < hidden; u++)
            {
                double s = 0;
                for (int j = 0; j < inputDim; j++) s += w1[u * inputDim + j] * xk[j];
                h[u] = Math.Tanh(s);
            }
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < numClasses; c++)
            {
                double s = 0;
                for (int u = 0; u < hidden; u++) s += w2[c * hidden + u] * h[u];
                if (s > bestScore) (best, bestScore) = (c, s);
            }
            y[k] = best;
        }
        return new LabeledDataset("random teacher", Tensor<float>.FromArray(x, count, inputDim), y, numClasses);
    }

    private static double[] Gaussian(Random rng, int n, double std)
    {
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = Normal.Sample(rng, 0, std);
        return w;
    }

    // Puts the examples in a seeded random order (the generators above produce them class by class).
    private static LabeledDataset Shuffled(string name, float[] x, int[] y, int dims, int classes, Random rng)
    {
        int n = y.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.Shuffle(order);
        var sorted = new LabeledDataset(name, Tensor<float>.FromArray(x, n, dims), y, classes);
        return sorted.Subset(order);
    }
}
