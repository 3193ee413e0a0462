// Every test here starts kernels, builds or a browser: run them one at a time, so two kernels never rebuild the
// notebook library at once and the 2-core machine is not oversubscribed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
