using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using NormCourse.Benchmarks;

// Three modes:
//   --smoke               every benchmark once (BenchmarkDotNet's Dry job): proves they run, claims no timing (CI)
//   --table [REPEATS] [FILTER]  the quick table compare.sh joins with the anchor's output
//   anything else         BenchmarkDotNet's own command line, e.g. --filter '*Normalization*' (full runs, on demand)
if (args.Length > 0 && args[0] == "--table")
{
    QuickTable.Run(args.Length > 1 ? int.Parse(args[1]) : 7, args.Length > 2 ? args[2] : "");
    return 0;
}
bool smoke = args.Contains("--smoke");
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator);
if (smoke) config = config.AddJob(Job.Dry.WithId("smoke"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(QuickTable).Assembly)
    .Run(smoke ? [.. args.Where(a => a != "--smoke"), .. args.Contains("--filter") ? [] : new[] { "--filter", "*" }] : args, config);
// BenchmarkDotNet exits normally even when its arguments were rejected or a benchmark failed; CI needs to know.
bool ok = summaries.Any() && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success));
return ok ? 0 : 1;
