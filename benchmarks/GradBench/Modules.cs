using System.Collections.Generic;
using Differentiator.GradBench.Evals;

namespace Differentiator.GradBench;

/// <summary>The modules this tool answers <c>define</c> for, and why it declines the others.</summary>
public static class Modules
{
    public static readonly IReadOnlyDictionary<string, IModule> Implemented = new Dictionary<string, IModule>
    {
        ["hello"] = new HelloModule(),
        ["llsq"] = new LlsqModule(),
        ["lse"] = new LseModule(),
        ["det"] = new DetModule(),
        ["ode"] = new OdeModule(),
        ["gmm"] = new GmmModule(),
        ["lstm"] = new LstmModule(),
        ["kmeans"] = new KMeansModule(),
        ["ba"] = new BundleAdjustmentModule(),
        ["ht"] = new HandTrackingModule(),
        ["particle"] = new ParticleModule(),
        ["saddle"] = new SaddleModule(),
    };

    /// <summary>
    /// The evals this tool declines, with the reason: <c>success: false</c> rather than an answer computed some other
    /// way. None today: particle and saddle, which differentiate a function that itself takes a gradient, are answered
    /// by nested differentiation (docs/nested.md).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Missing = new Dictionary<string, string>();
}
