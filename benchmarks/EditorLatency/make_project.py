"""Writes the test project the latency script opens: Losses.cs with N methods of about 15 lines (the same methods
as benchmarks/Differentiator.Benchmarks.Generator/EditorFile.cs), with or without [Differentiable], and a project
that references the runtime and loads the generator as an analyzer from the given build output."""
import argparse
import os

MARKER = "    static void Marker() { int unused = 0; }  // CS0219: a compiler warning whose line tells a fresh result\n"


def losses(methods, differentiable):
    text = ["using System;\nusing Differentiator;\nnamespace Bench;\n\n// Type here: above every method.\n",
            "public static partial class Losses\n{\n"]
    for m in range(methods):
        if differentiable:
            text.append("    [Differentiable]\n")
        text.append("    public static double Loss%d(double[] x, double[] w, double b)\n    {\n" % m)
        text.append("        double s = 0;\n        for (int i = 0; i < x.Length; i++)\n        {\n")
        text.append("            double z = b + w[i % w.Length] * x[i];\n            double a = Math.Tanh(z);\n")
        text.append("            double r = a - 0.5 * x[i];\n            if (r > 0) s += r * r;\n            else s += 0.25 * r * r;\n        }\n")
        text.append("        double norm = Math.Sqrt(s);\n        return norm + Math.Abs(b) * %d.0;\n    }\n\n" % m)
    text.append(MARKER)
    text.append("}\n")
    return "".join(text)


PROJECT = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Library</OutputType>
    <Nullable>enable</Nullable>{properties}
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="Differentiator.Runtime" HintPath="{runtime}" />
    <Analyzer Include="{generator}" />
  </ItemGroup>{targets}
</Project>
"""


def write_project(out, generator, runtime, files, emit=None, targets=None, editor_bodies=False):
    """targets: the checkout's build/Differentiator.targets, imported as the package imports it (DifferentiatorEmit,
    the design-time bodies); without it the generator runs with its defaults."""
    os.makedirs(out, exist_ok=True)
    properties = ""
    if emit:
        properties += "\n    <DifferentiatorEmit>%s</DifferentiatorEmit>" % emit
    if editor_bodies:
        properties += "\n    <DifferentiatorEditorBodies>true</DifferentiatorEditorBodies>"
    with open(os.path.join(out, "Bench.csproj"), "w") as f:
        f.write(PROJECT.format(generator=os.path.abspath(generator), runtime=os.path.abspath(runtime), properties=properties,
                               targets='\n  <Import Project="%s" />' % os.path.abspath(targets) if targets else ""))
    for name, text in files.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--methods", type=int, required=True)
    p.add_argument("--plain", action="store_true", help="without [Differentiable]")
    p.add_argument("--generator", required=True, help="Differentiator.Generator.dll")
    p.add_argument("--runtime", required=True, help="Differentiator.Runtime.dll")
    p.add_argument("--emit", help="DifferentiatorEmit: the members to generate (default: the generator's default set)")
    p.add_argument("--targets", help="build/Differentiator.targets of the same checkout (what the package imports)")
    p.add_argument("--editor-bodies", action="store_true", help="DifferentiatorEditorBodies=true: compile generated bodies in the IDE")
    a = p.parse_args()
    write_project(a.out, a.generator, a.runtime, {"Losses.cs": losses(a.methods, not a.plain)}, a.emit, a.targets, a.editor_bodies)


if __name__ == "__main__":
    main()
