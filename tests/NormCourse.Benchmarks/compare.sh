#!/usr/bin/env bash
# NormCourse against the libtorch anchor, back to back on this machine, the same number of threads each (issue 7).
#   compare.sh [ROUNDS] [OUTDIR]
# Each round runs the anchor's MLP and normalization benchmarks (run.sh, libtorch 2.10 via TorchSharp, built
# outside the repository) and LeNet-5's step in the same libtorch (../libtorch-lenet/run.sh, built with the anchor's
# project file), and then NormCourse's table mode on the same workloads, alternating so that both see the same machine
# load. The per-target figure is the median over rounds of each side's median (RMSNorm against our
# LayerNorm: of the ratios of the two timed in alternation); the ratios and the targets of issue 7 are printed at the
# end. With gcc on the machine each round also runs stream-triad.c, the C triad the anchors' ceiling was measured with,
# printed beside the .NET triad the shares are taken against. Absolute times on a shared machine mean little; the
# ratios are the claim.
# Environment: ANCHOR (default ../../../shared/bench/libtorch-anchor/run.sh or /work/shared/...), MLP_STEPS (500),
# THREADS (1, or 2: libtorch on two threads and NormCourse with its worker thread, shared by the GEMM and the
# normalization kernels),
# ISA (native, or avx2: both sides limited to AVX2 as on a machine without AVX-512 — libtorch through
# ATEN_CPU_CAPABILITY, MKL_ENABLE_INSTRUCTIONS and DNNL_MAX_CPU_ISA, .NET through DOTNET_EnableAVX512=0).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=${1:-3}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
anchor=${ANCHOR:-/work/shared/bench/libtorch-anchor/run.sh}
[ -f "$anchor" ] || { echo "compare.sh: the anchor runner $anchor does not exist (set ANCHOR)" >&2; exit 2; }
steps=${MLP_STEPS:-500}
isa=${ISA:-native}
threads=${THREADS:-1}
case "$threads" in 1|2) ;; *) echo "compare.sh: THREADS must be 1 or 2, not $threads" >&2; exit 2 ;; esac
case "$isa" in
  native) anchor_env=(); ours_env=() ;;
  avx2) anchor_env=(ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 DNNL_MAX_CPU_ISA=AVX2); ours_env=(DOTNET_EnableAVX512=0) ;;
  *) echo "compare.sh: ISA must be native or avx2, not $isa" >&2; exit 2 ;;
esac

dotnet build "$here/NormCourse.Benchmarks.csproj" -c Release -nologo -v q >/dev/null
# The C STREAM triad the anchors' ceiling was measured with, beside the .NET one the shares are taken against.
ctriad=""
if command -v gcc >/dev/null; then
  ctriad="$out/stream-triad"
  gcc -O3 -march=native -o "$ctriad" "$here/stream-triad.c"
fi
ours=(env "${ours_env[@]}" NORMCOURSE_THREADS="$threads" dotnet "$here/bin/Release/net10.0/NormCourse.Benchmarks.dll" --table 5)
theirs=(env "${anchor_env[@]}" bash "$anchor")
lenet=(env "${anchor_env[@]}" ANCHOR="$anchor" bash "$here/../libtorch-lenet/run.sh")

for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds: anchor mlp and LeNet, ours step, anchor norm, ours norm, ours gemm, triad and FMA peak" >&2
  "${theirs[@]}" mlp "$threads" "$steps" 5 > "$out/anchor-mlp-$r.tsv"
  "${lenet[@]}" "$threads" 200 5 > "$out/anchor-lenet-$r.tsv"
  "${ours[@]}" step > "$out/ours-step-$r.tsv"
  "${theirs[@]}" norm "$threads" 5 > "$out/anchor-norm-$r.tsv"
  "${ours[@]}" norm > "$out/ours-norm-$r.tsv"
  "${ours[@]}" gemm > "$out/ours-gemm-$r.tsv"
  # The machine's ceilings, on one thread whatever THREADS is (the targets are one thread's): bandwidth and FMA peak.
  for ceiling in stream peak; do
    env "${ours_env[@]}" NORMCOURSE_THREADS=1 dotnet "$here/bin/Release/net10.0/NormCourse.Benchmarks.dll" --table 5 "$ceiling" \
      > "$out/ours-$ceiling-$r.tsv"
  done
  if [ -n "$ctriad" ]; then "$ctriad" > "$out/c-triad-$r.txt"; "$ctriad" nt > "$out/c-triad-nt-$r.txt"; fi
done

python3 - "$out" "$rounds" "$isa" "$threads" <<'PY'
import sys, statistics as st, csv, os
out, rounds, isa, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def rows(name):
    res = []
    for r in range(1, rounds + 1):
        with open(os.path.join(out, f"{name}-{r}.tsv")) as f:
            lines = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
        head, body = lines[0], lines[1:]
        res.append([dict(zip(head, b)) for b in body])
    return res
def med(values): return st.median(values)
anchor_mlp = {}; ours_step = {}; anchor_norm = {}; ours_norm = {}; gemm = {}; triads = []; peaks = []
for rs in rows("anchor-mlp") + rows("anchor-lenet"):
    for d in rs: anchor_mlp.setdefault((d["config"], d["batch"]), []).append(float(d["samples_per_s_median"]))
for rs in rows("ours-step"):
    for d in rs: ours_step.setdefault((d["name"], d["shape"]), []).append(float(d["samples_per_s"]))
for rs in rows("anchor-norm"):
    for d in rs: anchor_norm.setdefault((d["op"].replace("(composite)", ""), d["shape"]), []).append(float(d["fwd+bwd_us"]))
share = {}   # per round: the kernel's GB/s over the triad timed between its repeats
pair = {}    # per round: RMSNorm's speed-up over LayerNorm, the two timed repeat by repeat in turn (QuickTable.RunPair)
for rs in rows("ours-norm"):
    for d in rs:
        if d["kind"] == "pair":
            pair.setdefault(d["shape"], []).append(float(d["speedup_median"]))
            continue
        ours_norm.setdefault((d["name"], d["shape"]), []).append(float(d["us_median"]))
        share.setdefault((d["name"], d["shape"]), []).append(float(d["GB_per_s"]) / float(d["paired_triad_GB_per_s"]))
for rs in rows("ours-gemm"):
    for d in rs: gemm.setdefault((d["name"], d["shape"]), []).append(float(d["GFLOP_per_s"]))
for rs in rows("ours-stream"):
    for d in rs: triads.append(float(d["GB_per_s"]))
for rs in rows("ours-peak"):
    for d in rs: peaks.append(float(d["GFLOP_per_s"]))
# The STREAM triad over 16 MiB arrays on one thread, measured in this job: the machine's, not a constant
# (26 GB/s on the Intel Xeon of performance-anchors.md, 35-64 GB/s on an AMD Zen 5 of the same pool).
triad = med(triads)
def c_triads(kind):
    names = [os.path.join(out, f"c-triad{kind}-{r}.txt") for r in range(1, rounds + 1)]
    return [float(open(name).read()) for name in names if os.path.exists(name)]
ctriads, ntriads = c_triads(""), c_triads("-nt")
print(f"rounds: {rounds}; medians over rounds of per-round medians; threads: {threads}; instruction set: {isa}; results in {out}")
print(f"one-thread STREAM triad, 16 MiB float arrays, this job: {triad:.1f} GB/s (rounds: {', '.join(f'{t:.1f}' for t in triads)})")
if ctriads:
    print(f"the same in C (stream-triad.c, gcc -O3 -march=native, median of 41 passes): {med(ctriads):.1f} GB/s "
          f"(rounds: {', '.join(f'{t:.1f}' for t in ctriads)})")
if ntriads:
    # LayerNorm's and RMSNorm's backward write a dx of more than 8 MiB past the caches: their ceiling lies between the two.
    print(f"the C triad writing past the caches (non-temporal stores, as LayerNorm's and RMSNorm's backward write dx): "
          f"{med(ntriads):.1f} GB/s (rounds: {', '.join(f'{t:.1f}' for t in ntriads)})")
print()
print("| training step (samples/s) | libtorch | NormCourse | ratio | target | met |")
print("|---|---|---|---|---|---|")
for (cfg, b), target in [(("MLP+BN", "60"), 2.0), (("MLP+BN", "256"), 1.2), (("MLP", "60"), None), (("MLP", "256"), None),
                         (("LeNet", "64"), None)]:
    a, o = med(anchor_mlp[(cfg, b)]), med(ours_step[(cfg, b)])
    t = f"≥ {target}×" if target else "–"
    met = ("yes" if o / a >= target else "no") if target else "–"
    rounds_a = ", ".join(f"{v:,.0f}" for v in anchor_mlp[(cfg, b)])
    print(f"| {cfg} batch {b} | {a:,.0f} ({rounds_a}) | {o:,.0f} | {o/a:.2f}× | {t} | {met} |")
print()
target = "target (≥2×, ≥75 %)" if threads == "1" else "target (≥2×)"
print("% of the triad: the kernel's GB/s over the one-thread triad timed between its own repeats (QuickTable), median of the rounds")
print(f"| normalization fwd+bwd | libtorch µs | NormCourse µs | speed-up | NormCourse GB/s | % of the triad (rounds) | {target} |")
print("|---|---|---|---|---|---|---|")
targets = {("BatchNorm1d", "(256,1024)"), ("BatchNorm1d", "(4096,256)"), ("BatchNorm2d", "(32,16,28,28)"), ("LayerNorm", "(4096,1024)")}
for key, us in ours_norm.items():
    o = med(us)
    n = 1
    for s in key[1].strip("()").split(","): n *= int(s)
    gbs = 5 * n * 4 / (o * 1e-6) / 1e9
    a = med(anchor_norm[key]) if key in anchor_norm else None
    sp = f"{a/o:.2f}×" if a else "–"
    # The bandwidth target is one thread's; with two threads only the speed-up is a target.
    part = med(share[key])
    met = ("yes" if a / o >= 2 and (threads != "1" or part >= 0.75) else "no") if key in targets else "–"
    rounds_part = ", ".join(f"{100*p:.0f}" for p in share[key])
    print(f"| {key[0]} {key[1]} | {'–' if a is None else f'{a:,.0f}'} | {o:,.0f} | {sp} | {gbs:.1f} | {100*part:.0f} % ({rounds_part}) | {met} |")
# The two layers timed a repeat of each in turn: per round the median of the repeats' ratios, then the median of the
# rounds, so that neither a change in the machine's speed between two rows nor a burst of load in one round decides it.
ratios = pair["(4096,1024)"]
ratio = med(ratios)
print(f"\nRMSNorm vs NormCourse's LayerNorm on (4096,1024), timed in alternation: {ratio:.2f}× ({100*(ratio-1):.0f} % faster; "
      f"rounds: {', '.join(f'{r:.2f}' for r in ratios)}; target ≥ 20 %: {'met' if ratio >= 1.2 else 'not met'})")
# The same two layers on 64 rows, whose tensors stay in L2: what RMSNorm's fewer operations gain when bytes do not decide.
cached = pair["(64,1024)"]
print(f"the same on (64,1024), tensors in L2 (not a target): {med(cached):.2f}× (rounds: {', '.join(f'{r:.2f}' for r in cached)})")
# RowTraffic moves the two layers' bytes in their order with next to no arithmetic (RowTrafficWorkload): no layer that
# moves them so is faster, so LayerNorm's time over it bounds what any RMSNorm could gain over this LayerNorm.
traffic = ours_norm.get(("RowTraffic", "(4096,1024)"))
if traffic and threads == "1":
    def over(name): return [t / o for t, o in zip(traffic, ours_norm[(name, "(4096,1024)")])]
    rms, ln = over("RMSNorm"), over("LayerNorm")
    bound = [o / t for t, o in zip(traffic, ours_norm[("LayerNorm", "(4096,1024)")])]
    print(f"against RowTraffic (their bytes, in their order, next to no arithmetic; {med(traffic):,.0f} µs): RMSNorm at "
          f"{100*med(rms):.0f} % of its speed (rounds: {', '.join(f'{100*r:.0f}' for r in rms)}), LayerNorm at {100*med(ln):.0f} % "
          f"({', '.join(f'{100*r:.0f}' for r in ln)}); the most an RMSNorm could gain over this LayerNorm: {med(bound):.2f}×")
print()
# One core's FMA throughput at the width this job runs, measured in this job (about 140 GFLOP/s on the Intel Xeon of
# performance-anchors.md, 208 on an AMD Zen 5 of the same pool; half of either with AVX2).
peak = med(peaks)
print(f"| GEMM (m,n,k) | GFLOP/s | % of the {peak:.0f} GFLOP/s FMA peak (rounds: {', '.join(f'{p:.0f}' for p in peaks)}) |")
print("|---|---|---|")
for key, g in gemm.items():
    print(f"| {key[0]} {key[1]} | {med(g):.1f} | {100*med(g)/peak:.0f} % |")
PY
