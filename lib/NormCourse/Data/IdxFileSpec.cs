namespace NormCourse.Data;

/// <summary>One IDX file a dataset needs, identified by the SHA-256 of its decompressed bytes.</summary>
/// <param name="FileName">The decompressed file's name, e.g. "train-images-idx3-ubyte"; it is looked for as
/// <c>FileName.gz</c> and as <c>FileName</c>, and downloaded as <c>FileName.gz</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the decompressed bytes. Hashing the decompressed bytes makes
/// the check independent of how a file was compressed (Debian re-compressed Fashion-MNIST, for one).</param>
/// <param name="Length">The decompressed length in bytes.</param>
public sealed record IdxFileSpec(string FileName, string Sha256, long Length);
