using System.Net;
using System.Text;
using KerasPort.Reference.Parity;
using ScottPlot;

namespace KerasPort.Cli.Commands;

/// <summary>
/// The <c>kerasport diff --html</c> report: one self-contained HTML file (PNG plots embedded as base64, no scripts,
/// no external resources) with the per-layer table, the error of every layer in graph order, and a histogram of
/// the differences of the worst layer.
/// </summary>
internal static class DiffHtmlReport
{
    /// <summary>Errors below this are drawn at this floor on the log axis (exact matches have error 0).</summary>
    const double Floor = 1e-12;

    public static void Write(string path, LayerDiffReport report, string modelPath, string source)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kerasport diff</title><style>")
            .Append("body{font-family:sans-serif;margin:24px}table{border-collapse:collapse;font-size:13px}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td.l,th{text-align:left}")
            .Append("tr.fail{background:#fde8e8}tr.first{background:#f8b4b4;font-weight:bold}.ok{color:#13795b}.bad{color:#b42318}")
            .Append("img{max-width:100%;border:1px solid #eee;margin:8px 0}</style></head><body>")
            .Append($"<h1>kerasport diff</h1><p>model <code>{E(modelPath)}</code><br>reference: {E(source)}<br>")
            .Append($"tolerance: atol={report.Tolerance.Atol:G3}, rtol={report.Tolerance.Rtol:G3}</p>")
            .Append($"<p class=\"{(report.PassedCompletely ? "ok" : "bad")}\"><b>{E(report.Describe())}</b></p>");
        if (report.NotCompared.Count > 0)
        {
            html.Append("<h2>Not compared</h2><table><tr><th>layer</th><th>class</th><th>reason</th></tr>");
            foreach (var layer in report.NotCompared)
                html.Append($"<tr class=\"fail\"><td class=\"l\">{E(layer.Layer)}</td><td class=\"l\">{E(layer.ClassName)}</td><td class=\"l\">{E(layer.Reason)}</td></tr>");
            html.Append("</table>");
        }
        if (report.Rows.Count > 0)
        {
            html.Append("<h2>Max abs error per layer (graph order)</h2>").Append(Image(ErrorPlot(report)));
            if (report.Worst is { Actual: not null } worst && HistogramPlot(worst) is { } histogram)
                html.Append($"<h2>Differences of the worst layer: {E(worst.Key)}</h2>").Append(Image(histogram));
        }
        html.Append("<h2>Layers</h2><table><tr><th>#</th><th>key</th><th>class</th><th>shape</th><th>max abs err</th>")
            .Append("<th>max rel err</th><th>mean abs err</th><th>NaN/Inf</th><th>status</th></tr>");
        var first = report.FirstDivergent;
        for (int i = 0; i < report.Rows.Count; i++)
        {
            var row = report.Rows[i];
            var c = row.Comparison;
            var css = row.Passed ? "" : ReferenceEquals(row, first) ? " class=\"first\"" : " class=\"fail\"";
            var status = row.Passed ? "ok" : (ReferenceEquals(row, first) ? "FIRST DIVERGENCE" : "FAIL") + (c.Problem is null ? "" : ": " + c.Problem);
            html.Append($"<tr{css}><td>{i + 1}</td><td class=\"l\">{E(row.Key)}</td><td class=\"l\">{E(row.ClassName)}</td>")
                .Append($"<td class=\"l\">{E(DiffCommand.Shape(c.Shape))}</td><td>{DiffCommand.Number(c.MaxAbsError)}</td><td>{DiffCommand.Number(c.MaxRelError)}</td>")
                .Append($"<td>{DiffCommand.Number(c.MeanAbsError)}</td><td>{c.NonFiniteMismatches}</td><td class=\"l\">{E(status)}</td></tr>");
        }
        html.Append("</table></body></html>");
        File.WriteAllText(path, html.ToString());
    }

    static string E(string text) => WebUtility.HtmlEncode(text);

    static string Image(byte[] png) => $"<img alt=\"plot\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";

    /// <summary>log10 of each row's max abs error, passing rows in green and failing ones in red, with the atol line.</summary>
    static byte[] ErrorPlot(LayerDiffReport report)
    {
        var plot = new Plot();
        var ys = report.Rows.Select(r => Math.Log10(Math.Max(double.IsNaN(r.Comparison.MaxAbsError) ? 1 : r.Comparison.MaxAbsError, Floor))).ToArray();
        var xs = Enumerable.Range(0, ys.Length).Select(i => (double)i).ToArray();
        var line = plot.Add.ScatterLine(xs, ys);
        line.Color = Colors.Gray;
        AddPoints(plot, report, xs, ys, passed: true, Colors.SeaGreen, "within tolerance");
        AddPoints(plot, report, xs, ys, passed: false, Colors.Red, "out of tolerance (NaN mismatch drawn at 1)");
        var atol = plot.Add.HorizontalLine(Math.Log10(Math.Max(report.Tolerance.Atol, Floor)));
        atol.LinePattern = LinePattern.Dashed;
        atol.Color = Colors.DarkOrange;
        atol.LegendText = "atol";
        plot.ShowLegend(Alignment.UpperLeft);
        int step = Math.Max(1, report.Rows.Count / 40);
        var ticks = Enumerable.Range(0, report.Rows.Count).Where(i => i % step == 0).ToArray();
        var labels = ticks.Select(i => TickLabel(report.Rows[i])).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(i => (double)i).ToArray(), labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 60;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 20 + 6 * labels.Max(l => l.Length);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = y => $"1e{y:0}" };
        plot.YLabel($"max abs error (log scale; exact matches at {Floor:0e0})");
        return plot.GetImageBytes(1100, 480 + (int)plot.Axes.Bottom.MinimumSize, ImageFormat.Png);
    }

    /// <summary>The layer name (with its output index when it has several), or the key of a model output; at most 32 characters.</summary>
    static string TickLabel(LayerDiffRow row)
    {
        var label = row.Key.StartsWith("final/", StringComparison.Ordinal) ? row.Key
            : row.Key.EndsWith("/0", StringComparison.Ordinal) ? row.Layer : $"{row.Layer}:{row.Key[(row.Key.LastIndexOf('/') + 1)..]}";
        return label.Length <= 32 ? label : label[..31] + "…";
    }

    static void AddPoints(Plot plot, LayerDiffReport report, double[] xs, double[] ys, bool passed, Color color, string label)
    {
        var chosen = Enumerable.Range(0, ys.Length).Where(i => report.Rows[i].Passed == passed).ToArray();
        if (chosen.Length == 0) return;
        var points = plot.Add.ScatterPoints(chosen.Select(i => xs[i]).ToArray(), chosen.Select(i => ys[i]).ToArray());
        points.Color = color;
        points.MarkerSize = 8;
        points.LegendText = label;
    }

    /// <summary>Histogram of the finite differences (KerasPort − Keras) of one row, or null when it has none.</summary>
    static byte[]? HistogramPlot(LayerDiffRow row)
    {
        var a = row.Actual!.ToDoubles();
        var b = row.Expected.ToDoubles();
        if (a.Length != b.Length) return null;
        var differences = a.Zip(b, (x, y) => x - y).Where(double.IsFinite).ToArray();
        if (differences.Length == 0) return null;
        double min = differences.Min(), max = differences.Max();
        if (max == min) { min -= 0.5; max += 0.5; }
        const int bins = 60;
        double width = (max - min) / bins;
        var counts = new double[bins];
        foreach (var d in differences) counts[Math.Min(bins - 1, (int)((d - min) / width))]++;
        var plot = new Plot();
        var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * width).ToArray(), counts);
        foreach (var bar in bars.Bars)
        {
            bar.Size = width;
            bar.FillColor = Colors.SteelBlue;
            bar.LineWidth = 0;
        }
        plot.Axes.Margins(bottom: 0);
        plot.XLabel($"KerasPort − Keras ({differences.Length} finite values)");
        plot.YLabel("count");
        return plot.GetImageBytes(1100, 420, ImageFormat.Png);
    }
}
