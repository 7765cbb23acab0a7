using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench;

/// <summary>Decoding GradBench inputs into flat arrays and encoding outputs back.</summary>
static class Json
{
    public static JsonNode Field(JsonNode input, string name) =>
        input[name] ?? throw new ArgumentException($"the input has no field '{name}'");

    public static int Int(JsonNode input, string name) => Field(input, name).GetValue<int>();

    public static double Double(JsonNode input, string name) => Field(input, name).GetValue<double>();

    public static double[] Doubles(JsonNode node)
    {
        var array = node.AsArray();
        var values = new double[array.Count];
        for (int i = 0; i < values.Length; i++) values[i] = array[i]!.GetValue<double>();
        return values;
    }

    /// <summary>A list of rows as one row-major array (GradBench sends matrices as lists of rows).</summary>
    public static double[] Rows(JsonNode node, out int rowCount)
    {
        var rows = node.AsArray();
        rowCount = rows.Count;
        int width = rowCount == 0 ? 0 : rows[0]!.AsArray().Count;
        var values = new double[rowCount * width];
        for (int r = 0; r < rowCount; r++)
        {
            var row = rows[r]!.AsArray();
            if (row.Count != width) throw new ArgumentException("the rows of a matrix must have one length");
            for (int c = 0; c < width; c++) values[r * width + c] = row[c]!.GetValue<double>();
        }
        return values;
    }

    public static JsonArray Array(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        foreach (double v in values) array.Add(v);
        return array;
    }

    public static JsonArray Rows(ReadOnlySpan<double> values, int rowCount)
    {
        int width = rowCount == 0 ? 0 : values.Length / rowCount;
        var rows = new JsonArray();
        for (int r = 0; r < rowCount; r++) rows.Add(Array(values.Slice(r * width, width)));
        return rows;
    }
}
