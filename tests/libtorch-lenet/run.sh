#!/usr/bin/env bash
# LeNet-5's training step in libtorch 2.10 (CPU, through TorchSharp 0.107), the anchor's instrument for the one
# network it lacks. Built as the anchor is, outside the repository, with the anchor's own project file (the same
# pinned TorchSharp) and its GLIBCXX patch; compare.sh runs it beside NormCourse's "LeNet 64" step.
#   run.sh THREADS [STEPS] [REPEATS]
# Environment: ANCHOR (the anchor's run.sh, default /work/shared/bench/libtorch-anchor/run.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
anchor=$(dirname "${ANCHOR:-/work/shared/bench/libtorch-anchor/run.sh}")
build=${XDG_CACHE_HOME:-$HOME/.cache}/normcourse-libtorch-lenet
mkdir -p "$build"
cp "$anchor/LibtorchAnchor.csproj" "$build/LibtorchLeNet.csproj"
cp "$here/Program.cs" "$build/"
cd "$build"
dotnet build -c Release -nologo -v q -o "$build/out" >/dev/null
for so in "$build"/out/runtimes/linux-x64/native/libLibTorchSharp.so "$build"/out/cpu/libLibTorchSharp.so; do
  [ -f "$so" ] && python3 "$anchor/patch_glibcxx.py" "$so" >/dev/null
done
exec dotnet "$build/out/LibtorchLeNet.dll" "$@"
