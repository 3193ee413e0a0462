using System.Diagnostics;
using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// <see cref="Worker"/>'s hand-over of a call's second half: whichever thread claims it runs it, exactly once, and the
/// call returns only when both halves are done. The caller takes the half back when the worker has not started it by
/// the time the first half is done — always possible on a busy machine, and made likely here by an empty first half;
/// a first half that waits for the second to be done makes the worker run it.
/// </summary>
public unsafe class WorkerTests
{
    private struct Job
    {
        public int* Runs;           // how many times each call's second half ran
        public int* Threads;        // the managed thread that ran it
        public int Call;
        public bool WaitForWorker;  // the first half waits until the second half has run
    }

    private static void CountSecondHalf(nint job, int first, int end)
    {
        ref var j = ref *(Job*)job;
        if (first == 0)
        {
            var clock = Stopwatch.StartNew();
            while (j.WaitForWorker && Volatile.Read(ref j.Runs[j.Call]) == 0 && clock.ElapsedMilliseconds < 10_000) Thread.SpinWait(20);
            return;
        }
        Interlocked.Increment(ref j.Runs[j.Call]);
        j.Threads[j.Call] = Environment.CurrentManagedThreadId;
    }

    private static (int[] Runs, int[] Threads) Calls(Worker worker, int calls, bool waitForWorker)
    {
        int[] runs = new int[calls], threads = new int[calls];
        fixed (int* pr = runs, pt = threads)
        {
            for (int call = 0; call < calls; call++)
            {
                var job = new Job { Runs = pr, Threads = pt, Call = call, WaitForWorker = waitForWorker };
                Assert.True(worker.TryRun(&CountSecondHalf, (nint)(&job), 1, 2));
                Assert.Equal(1, runs[call]);   // done by the time the call returns
            }
            Thread.Sleep(50);   // a worker that woke late must not run a half its caller took back
        }
        return (runs, threads);
    }

    [Fact]
    public void The_caller_takes_back_a_second_half_the_worker_has_not_started_and_each_half_runs_once()
    {
        var (runs, threads) = Calls(new Worker(), 2000, waitForWorker: false);
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Contains(Environment.CurrentManagedThreadId, threads);
    }

    [Fact]
    public void The_worker_runs_the_second_half_while_the_caller_is_busy()
    {
        var (runs, threads) = Calls(new Worker(), 200, waitForWorker: true);
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
    }
}
