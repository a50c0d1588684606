#!/usr/bin/python3
"""Peers of the clout network benchmark: igraph (and networkx with --networkx) on the same edge list.

Prints one JSON line: PageRank time (igraph PRPACK; networkx scipy power iteration with tol 1e-6), igraph Leiden
(modularity objective, default 2 iterations, and until stable) and multilevel (Louvain) time and modularity, on the
undirected graph. Load time is reported apart and not counted.

    /usr/bin/python3 bench/network/peers.py EDGES.csv [--networkx] [--no-igraph] [--quick]

--quick (used on the 10M-edge graph) runs igraph Leiden with its default 2 iterations only (no until-stable run,
no multilevel, which take many minutes there).
"""
import json
import sys
import time

import numpy as np


def load(path):
    t0 = time.perf_counter()
    try:
        import pandas as pd
        df = pd.read_csv(path, dtype={"source": np.int64, "target": np.int64}, usecols=[0, 1])
        edges = df.to_numpy()
    except ImportError:
        edges = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64)
    return edges, time.perf_counter() - t0


def main():
    path = sys.argv[1]
    flags = set(sys.argv[2:])
    edges, load_s = load(path)
    n = int(edges.max()) + 1
    out = {"n": n, "m": int(len(edges)), "load_s": load_s}
    if "--no-igraph" not in flags:
        import igraph as ig
        out["igraph"] = ig.__version__
        g = ig.Graph(n=n, edges=edges.tolist(), directed=True)
        t0 = time.perf_counter()
        g.pagerank(damping=0.85, directed=True)
        out["igraph_pagerank_s"] = time.perf_counter() - t0
        u = g.as_undirected(mode="collapse")
        # Two iterations (the default), over seeds 1..3 unless --quick: mean time, mean and range of Q.
        import random
        seeds = [1] if "--quick" in flags else [1, 2, 3]
        for iterations in [2] if "--quick" in flags else [2, 4]:
            times, qs = [], []
            for seed in seeds:
                random.seed(seed)  # igraph draws from Python's random module
                t0 = time.perf_counter()
                p = u.community_leiden(objective_function="modularity", n_iterations=iterations)
                times.append(time.perf_counter() - t0)
                qs.append(u.modularity(p.membership))
            key = "igraph_leiden" if iterations == 2 else "igraph_leiden%d" % iterations
            out[key + "_s"] = sum(times) / len(times)
            out[key + "_q"] = sum(qs) / len(qs)
            out[key + "_q_range"] = "%.4f–%.4f" % (min(qs), max(qs))
            out[key + "_count"] = len(p)
        if "--quick" not in flags:
            t0 = time.perf_counter()
            p = u.community_leiden(objective_function="modularity", n_iterations=-1)
            out["igraph_leiden_stable_s"] = time.perf_counter() - t0
            out["igraph_leiden_stable_q"] = u.modularity(p.membership)
            t0 = time.perf_counter()
            p = u.community_multilevel()
            out["igraph_multilevel_s"] = time.perf_counter() - t0
            out["igraph_multilevel_q"] = u.modularity(p.membership)
        del g, u
    if "--networkx" in flags:
        import networkx as nx
        out["networkx"] = nx.__version__
        G = nx.DiGraph()
        G.add_nodes_from(range(n))
        G.add_edges_from(edges.tolist())
        t0 = time.perf_counter()
        nx.pagerank(G, alpha=0.85)
        out["networkx_pagerank_s"] = time.perf_counter() - t0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
