namespace NormCourse.Tensors;

/// <summary>
/// A second thread for <see cref="PackedGemm"/> and the normalization kernels: the caller computes one half of the work
/// (C's row tiles, a tensor's rows) while this thread computes the other, and nothing is allocated per call (<c>Parallel.Invoke</c>, which made the products 1.3–1.8×
/// faster on the course's machine, allocates tasks and closures on every call, and the training step must not).
/// </summary>
/// <remarks>
/// The work is a function pointer and a pointer to the caller's description of it, which lives on the caller's stack
/// until the caller has seen the worker finish. Each output is computed by exactly one thread, in the same order as on
/// one thread, so the results do not depend on whether the worker took part. One caller at a time uses the worker; a
/// second caller in the meantime (tests run in parallel) computes on its own thread. Between calls the worker spins
/// briefly before it sleeps, so that the many multiplies of a training step find it awake.
/// <para>
/// The second half goes to whichever thread claims it first. On a busy machine the worker may not be scheduled for
/// milliseconds; the caller, done with its own half, then takes the second half back rather than wait. Without that, a
/// 100 µs LayerNorm took 1–4 ms while the test suite ran beside it.
/// </para>
/// </remarks>
internal sealed unsafe class Worker
{
    /// <summary>
    /// The process's worker: null on a one-core machine, or when the environment variable <c>NORMCOURSE_THREADS</c> is
    /// 1 (compare.sh sets it to compare with libtorch on one thread each).
    /// </summary>
    public static Worker? Shared { get; } =
        Environment.ProcessorCount > 1 && Environment.GetEnvironmentVariable("NORMCOURSE_THREADS") != "1" ? new Worker() : null;

    // How long a wait spins before it sleeps: longer than the gap between the multiplies of a training step (packing
    // the next op(B) takes tens of microseconds), so that the worker is awake for the next one; a sleeping thread takes
    // tens of microseconds to wake, a delay the product would wait for.
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000;   // 200 µs

    // The second half's state: posted by the caller, taken by the worker or taken back by the caller.
    private const int Posted = 1, Taken = 2;

    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _start = new(false), _done = new(false);
    private delegate*<nint, int, int, void> _work;
    private nint _job;
    private int _first, _end, _state;
    private Exception? _failure;

    /// <summary>Starts the worker thread; tests make their own to compare with and without it.</summary>
    internal Worker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "NormCourse worker" };
        thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="work"/>(job, 0, split) here and (job, split, end) on the worker — or here too, when the worker
    /// has not started it by the time the first half is done — and returns when both are done; false, having run
    /// nothing, when another caller holds the worker.
    /// </summary>
    public bool TryRun(delegate*<nint, int, int, void> work, nint job, int split, int end)
    {
        if (!_gate.TryEnter()) return false;
        try
        {
            _work = work;
            _job = job;
            _first = split;
            _end = end;
            _failure = null;
            _done.Reset();
            Volatile.Write(ref _state, Posted);   // after the fields above: the worker reads them once it has taken the half
            _start.Set();
            bool workerTookIt;
            try
            {
                work(job, 0, split);
            }
            finally
            {
                workerTookIt = Interlocked.CompareExchange(ref _state, Taken, Posted) != Posted;
                if (workerTookIt) Await(_done);   // the job lives on the caller's stack: never leave while the worker reads it
            }
            if (!workerTookIt) work(job, split, end);
            else if (_failure is not null) throw new InvalidOperationException("The NormCourse worker thread failed.", _failure);
            return true;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/>(job, 0, split) and (job, split, end): on this thread and the worker's when the
    /// worker exists and is free, otherwise both here, one after the other. The two halves must write disjoint
    /// outputs; then the results are the same either way.
    /// </summary>
    public static void RunHalves(Worker? worker, delegate*<nint, int, int, void> work, nint job, int split, int end)
    {
        if (worker is not null && worker.TryRun(work, job, split, end)) return;
        work(job, 0, split);
        work(job, split, end);
    }

    private void Loop()
    {
        while (true)
        {
            Await(_start);
            _start.Reset();
            // Take the posted half, unless its caller took it back while this thread was waking.
            if (Interlocked.CompareExchange(ref _state, Taken, Posted) != Posted) continue;
            try
            {
                _work(_job, _first, _end);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            _done.Set();
        }
    }

    /// <summary>Spins up to <see cref="SpinTicks"/> for the event, then waits for it asleep.</summary>
    private static void Await(ManualResetEventSlim signal)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        while (!signal.IsSet && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
        signal.Wait();
    }
}
