namespace NormCourse.Data;

/// <summary>Groups example indices by class, for the class-aware samplers.</summary>
internal static class ClassIndex
{
    /// <summary>Entry c lists, in ascending order, the indices of the examples labelled c.</summary>
    /// <exception cref="ArgumentException">A label is negative.</exception>
    public static int[][] Build(ReadOnlySpan<int> labels)
    {
        int classes = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0) throw new ArgumentException($"Label {labels[i]} of example {i} is negative.", nameof(labels));
            classes = Math.Max(classes, labels[i] + 1);
        }
        var counts = new int[classes];
        foreach (int y in labels) counts[y]++;
        var byClass = new int[classes][];
        for (int c = 0; c < classes; c++) byClass[c] = new int[counts[c]];
        Array.Clear(counts);
        for (int i = 0; i < labels.Length; i++) byClass[labels[i]][counts[labels[i]]++] = i;
        return byClass;
    }
}
