using System.Collections.Generic;

namespace Differentiator.Generator.Model;

/// <summary>
/// Hands out identifiers that collide with nothing the user wrote or the generator already chose, so generated
/// temporaries can echo source names (<c>_d_r</c>) without ever shadowing them.
/// </summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _taken;

    public NameAllocator(IEnumerable<string> taken) => _taken = new HashSet<string>(taken, System.StringComparer.Ordinal);

    public string Allocate(string preferred)
    {
        if (_taken.Add(preferred)) return preferred;
        for (int k = 2; ; k++)
        {
            string candidate = preferred + "_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_taken.Add(candidate)) return candidate;
        }
    }

    public void Reserve(string name) => _taken.Add(name);
}
