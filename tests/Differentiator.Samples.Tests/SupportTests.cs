using System;
using System.IO;
using Differentiator.Samples.Support;

namespace Differentiator.Samples.Tests;

/// <summary>The shared sample support: the bundled font, output folders, Graphviz fallback.</summary>
public class SupportTests
{
    [Fact]
    public void The_bundled_font_is_the_default_and_loads_from_the_copied_file()
    {
        SampleFont.EnsureRegistered();
        Assert.True(File.Exists(SampleFont.FilePath));
        Assert.Equal(SampleFont.Name, ScottPlot.Fonts.Default);
        using var typeface = ScottPlot.Fonts.GetTypeface(SampleFont.Name, bold: true, italic: false);
        Assert.Equal("DejaVu Sans", typeface.FamilyName); // the file's face, also for bold text such as titles
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(SampleFont.FilePath)!, "LICENSE.txt")));
    }

    [Fact]
    public void The_output_folder_is_the_argument_when_given_and_is_created()
    {
        using var temporary = new TemporaryFolder("resolve");
        string target = Path.Combine(temporary.Path, "nested", "out");
        Assert.Equal(target, OutputFolder.Resolve(new[] { target }, "Whatever"));
        Assert.True(Directory.Exists(target));
    }

    [Fact]
    public void Without_an_argument_the_output_folder_is_beside_the_project_file_whatever_the_current_directory()
    {
        // The test project stands in for a sample: its binaries sit in bin/<configuration>/<framework> under the project folder.
        const string project = "Differentiator.Samples.Tests";
        string? projectFolder = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && projectFolder is null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, project + ".csproj"))) projectFolder = dir.FullName;
        Assert.NotNull(projectFolder);
        string expected = Path.Combine(projectFolder!, "output");
        bool existed = Directory.Exists(expected);
        try
        {
            Assert.Equal(expected, OutputFolder.Resolve(Array.Empty<string>(), project));
            Assert.True(Directory.Exists(expected));
        }
        finally
        {
            if (!existed && Directory.Exists(expected)) Directory.Delete(expected);
        }
    }

    [Fact]
    public void Without_Graphviz_the_dot_file_is_written_with_instructions()
    {
        using var temporary = new TemporaryFolder("graphviz");
        var log = new StringWriter();
        var files = Graphviz.Write(temporary.Path, "g", "digraph g { a -> b; }\n", log);
        Assert.Equal(Path.Combine(temporary.Path, "g.dot"), files[0]);
        Assert.Equal("digraph g { a -> b; }\n", File.ReadAllText(files[0]));
        if (Graphviz.FindDot() is null)
        {
            Assert.Single(files);
            Assert.Contains("apt-get install graphviz", log.ToString());
        }
        else
        {
            Assert.Equal(3, files.Count);
            Pictures.AssertSvgRoot(files[1]);
        }
    }
}
