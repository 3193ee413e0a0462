// LeNet-5's training step in libtorch (through TorchSharp), the network NormCourse's benchmark steps as "LeNet 64":
// conv 5×5 (6, padding 2), ReLU, max pool 2, conv 5×5 (16), ReLU, max pool 2, 400-120-84-10 with ReLU, softmax
// cross-entropy, SGD lr 0.1, batch 64, from a pool of 6,000 uniform [0, 1) images with random labels read in order.
// The anchor (../shared/bench/libtorch-anchor) has no convolutional network; this is its MLP benchmark's loop around
// LeNet, built with the anchor's project file, so that compare.sh can time the two side by side.
// Usage: run.sh THREADS [STEPS] [REPEATS]; prints one tab-separated row per batch size.
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

int threads = args.Length > 0 ? int.Parse(args[0]) : 1;
int steps = args.Length > 1 ? int.Parse(args[1]) : 200;
int repeats = args.Length > 2 ? int.Parse(args[2]) : 5;
torch.set_num_threads(threads);
Console.WriteLine($"# torch {torch.__version__}, threads={torch.get_num_threads()}");
const int pool = 6000, batch = 64;
torch.manual_seed(1234);
var images = torch.rand(pool, 1, 28, 28, dtype: float32);
var labels = torch.randint(0, 10, new long[] { pool }, dtype: int64);
torch.manual_seed(42);
var model = Sequential(
    ("conv1", Conv2d(1, 6, 5, padding: 2)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
    ("conv2", Conv2d(6, 16, 5)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
    ("flatten", Flatten()),
    ("fc1", Linear(400, 120)), ("relu3", ReLU()),
    ("fc2", Linear(120, 84)), ("relu4", ReLU()),
    ("fc3", Linear(84, 10)));
model.train();
var optimizer = torch.optim.SGD(model.parameters(), 0.1);
int cursor = 0;
void Step()
{
    using var scope = torch.NewDisposeScope();
    if (cursor + batch > pool) cursor = 0;
    var x = images.narrow(0, cursor, batch);
    var y = labels.narrow(0, cursor, batch);
    cursor += batch;
    optimizer.zero_grad();
    functional.cross_entropy(model.forward(x), y).backward();
    optimizer.step();
}
for (int i = 0; i < 50; i++) Step();   // warm-up
var rates = new List<double>();
for (int r = 0; r < repeats; r++)
{
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < steps; i++) Step();
    rates.Add(steps * (double)batch / watch.Elapsed.TotalSeconds);
}
var sorted = rates.OrderBy(v => v).ToList();
double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]);
Console.WriteLine("config\tbatch\tsteps\tsamples_per_s_median\tall_repeats");
Console.WriteLine($"LeNet\t{batch}\t{steps}\t{median:F0}\t{string.Join(",", rates.Select(v => v.ToString("F0")))}");
