"""The analysis of a network on one date: plain data in, plain data out (no database).

Exact betweenness, articulation points, components, the spring layout and transitivity come from
rustworkx (Apache-2.0, compiled); communities from networkx's Louvain method with a fixed seed
(rustworkx has no community detection). docs/networks.md says why and gives the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import rustworkx as rx

LOW_DEGREE = 1
"""A member with this many ties or fewer (but at least one) is reached through few others."""


@dataclass(frozen=True)
class Edge:
    a: int
    b: int
    weight: int = 1


def _graph(nodes: Sequence[int], edges: Iterable[Edge]) -> tuple[rx.PyGraph, dict[int, int]]:
    graph = rx.PyGraph(multigraph=False)
    index = {node: graph.add_node(node) for node in nodes}
    weights: dict[tuple[int, int], int] = {}
    for edge in edges:
        if edge.a == edge.b or edge.a not in index or edge.b not in index:
            continue
        key = (min(edge.a, edge.b), max(edge.a, edge.b))
        weights[key] = weights.get(key, 0) + edge.weight
    graph.add_edges_from([(index[a], index[b], w) for (a, b), w in weights.items()])
    return graph, index


def communities(nodes: Sequence[int], pairs: Iterable[tuple[int, int, int]]) -> list[list[int]]:
    """Subgroups by Louvain (seeded, so the same network gives the same groups); isolates are
    left out (a group of one says nothing). Largest first."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_weighted_edges_from(pairs)
    g.remove_nodes_from([n for n, d in g.degree() if d == 0])
    if g.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=7)
    groups = [sorted(group) for group in found if len(group) > 1]
    groups.sort(key=lambda group: (-len(group), group[0]))
    return groups


def analyse(nodes: Sequence[int], edges: Iterable[Edge], *, with_communities: bool = True) -> dict[str, object]:
    """Every figure the picture and its answers need, keyed by the node ids given."""
    nodes = list(dict.fromkeys(nodes))
    graph, index = _graph(nodes, edges)
    back = {i: node for node, i in index.items()}
    n = graph.num_nodes()
    m = graph.num_edges()
    degree = {back[i]: graph.degree(i) for i in graph.node_indices()}
    betweenness: dict[int, float] = {}
    if n > 2 and m:
        raw = rx.graph_betweenness_centrality(graph, normalized=True, parallel_threshold=200)
        betweenness = {back[i]: round(float(v), 6) for i, v in raw.items()}
    articulation = sorted(back[i] for i in rx.articulation_points(graph)) if m else []
    components = [sorted(back[i] for i in c) for c in rx.connected_components(graph)] if n else []
    components.sort(key=lambda c: (-len(c), c[0]))
    density = (2 * m / (n * (n - 1))) if n > 1 else 0.0
    transitivity = float(rx.transitivity(graph)) if m else 0.0
    pairs = [(back[a], back[b], w) for a, b, w in graph.weighted_edge_list()]
    groups = communities(nodes, pairs) if with_communities else []
    return {
        "nodes": len(nodes),
        "ties": m,
        "degree": degree,
        "betweenness": betweenness,
        "articulation": articulation,
        "isolates": sorted(node for node, d in degree.items() if d == 0),
        "low_degree": sorted(node for node, d in degree.items() if 0 < d <= LOW_DEGREE),
        "components": components,
        "communities": groups,
        "density": round(density, 6),
        "transitivity": round(transitivity, 6),
        "edges": sorted([min(a, b), max(a, b), w] for a, b, w in pairs),
    }


def layout(nodes: Sequence[int], edges: Iterable[Edge], *, size: float = 1000.0) -> dict[int, tuple[float, float]]:
    """Positions in ``0…size`` for every node (a seeded spring layout, so it is the same each time)."""
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return {}
    graph, index = _graph(nodes, edges)
    back = {i: node for node, i in index.items()}
    positions = rx.spring_layout(graph, seed=11, num_iter=60, weight_fn=lambda w: float(min(w, 5)))
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    margin = size * 0.08
    inner = size - 2 * margin
    return {
        back[i]: (
            round(margin + (p[0] - min(xs)) / span_x * inner, 1),
            round(margin + (p[1] - min(ys)) / span_y * inner, 1),
        )
        for i, p in positions.items()
    }


def change(
    *,
    members_before: set[int],
    members_after: set[int],
    ties_before: set[tuple[int, int]],
    ties_after: set[tuple[int, int]],
) -> dict[str, list]:
    """What changed between two dates: who joined, who left, ties gained and lost."""
    return {
        "joined": sorted(members_after - members_before),
        "left": sorted(members_before - members_after),
        "gained": sorted(ties_after - ties_before),
        "lost": sorted(ties_before - ties_after),
    }


def networkx_analyse(nodes: Sequence[int], edges: Iterable[Edge]) -> dict[str, object]:
    """The same analysis with networkx alone (for the benchmark's comparison only)."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    for edge in edges:
        if edge.a != edge.b:
            g.add_edge(edge.a, edge.b, weight=edge.weight)
    return {
        "betweenness": nx.betweenness_centrality(g, normalized=True),
        "articulation": sorted(nx.articulation_points(g)),
        "components": list(nx.connected_components(g)),
        "density": nx.density(g),
        "transitivity": nx.transitivity(g),
        "communities": nx.community.louvain_communities(g, seed=7),
    }
