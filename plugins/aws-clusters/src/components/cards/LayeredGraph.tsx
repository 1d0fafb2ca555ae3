import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import dagre from '@dagrejs/dagre';
import { select } from 'd3-selection';
import { zoom, ZoomTransform, zoomIdentity } from 'd3-zoom';

/** A node of a {@link LayeredGraph}: every node has the same size, so nothing needs measuring. */
export interface LayeredGraphNode {
  id: string;
}

/** An edge of a {@link LayeredGraph}, optionally labelled. */
export interface LayeredGraphEdge {
  from: string;
  to: string;
  label?: string;
}

export interface LayeredGraphProps<N extends LayeredGraphNode> {
  nodes: N[];
  edges: LayeredGraphEdge[];
  nodeWidth: number;
  nodeHeight: number;
  /** Draws one node inside a `nodeWidth` × `nodeHeight` box whose top left corner is the origin. */
  renderNode: (node: N) => ReactNode;
  /** Space between ranks (columns) and between nodes of one rank. */
  rankSep?: number;
  nodeSep?: number;
  /** The tallest the drawing gets before it is scaled down to fit; zoom shows the details. */
  maxHeight?: number;
  'aria-label'?: string;
}

/** Characters of an edge label, as dagre needs a size to keep it clear of nodes. */
const LABEL_CHAR_WIDTH = 6;
const LABEL_HEIGHT = 14;

/**
 * A left-to-right layered graph: dagre lays it out once (nodes have a known size, so nothing is
 * measured and nothing waits for the layout to settle), drawn as SVG scaled to fit its box, with
 * zoom and pan (wheel, drag) by d3-zoom.
 */
export function LayeredGraph<N extends LayeredGraphNode>(
  props: LayeredGraphProps<N>,
) {
  const {
    nodes,
    edges,
    nodeWidth,
    nodeHeight,
    renderNode,
    rankSep = 60,
    nodeSep = 10,
    maxHeight = 640,
  } = props;
  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({
      rankdir: 'LR',
      ranksep: rankSep,
      nodesep: nodeSep,
      edgesep: 6,
      marginx: 8,
      marginy: 8,
    });
    g.setDefaultEdgeLabel(() => ({}));
    const known = new Set(nodes.map(n => n.id));
    for (const n of nodes)
      g.setNode(n.id, { width: nodeWidth, height: nodeHeight });
    edges.forEach((e, i) => {
      if (!known.has(e.from) || !known.has(e.to)) return;
      const label = e.label
        ? {
            label: e.label,
            width: e.label.length * LABEL_CHAR_WIDTH,
            height: LABEL_HEIGHT,
            labelpos: 'c',
          }
        : {};
      g.setEdge(e.from, e.to, label, `e${i}`);
    });
    dagre.layout(g);
    const graph = g.graph();
    return {
      width: Math.max(graph.width ?? 0, nodeWidth),
      height: Math.max(graph.height ?? 0, nodeHeight),
      nodes: nodes.map(n => ({
        node: n,
        x: g.node(n.id).x - nodeWidth / 2,
        y: g.node(n.id).y - nodeHeight / 2,
      })),
      edges: g.edges().map(e => {
        const edge = g.edge(e) as {
          points: Array<{ x: number; y: number }>;
          label?: string;
          x?: number;
          y?: number;
        };
        return {
          key: `${e.v}->${e.w}:${e.name}`,
          points: edge.points,
          label: edge.label,
          x: edge.x,
          y: edge.y,
        };
      }),
    };
  }, [nodes, edges, nodeWidth, nodeHeight, rankSep, nodeSep]);

  const svgRef = useRef<SVGSVGElement>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  useEffect(() => {
    if (!svgRef.current) return undefined;
    const svg = select(svgRef.current);
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.25, 6])
      .on('zoom', event => setTransform(event.transform));
    svg.call(behaviour);
    return () => {
      svg.on('.zoom', null);
    };
  }, []);

  // The drawing takes the card's width and the height its aspect ratio gives, up to maxHeight.
  return (
    <svg
      ref={svgRef}
      role="img"
      aria-label={props['aria-label']}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      preserveAspectRatio="xMidYMin meet"
      style={{
        cursor: 'grab',
        display: 'block',
        width: '100%',
        height: 'auto',
        maxHeight,
      }}
    >
      <defs>
        <marker
          id="layered-graph-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#9e9e9e" />
        </marker>
      </defs>
      <g transform={transform.toString()}>
        {layout.edges.map(e => (
          <g key={e.key}>
            <path
              d={e.points
                .map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`)
                .join(' ')}
              fill="none"
              stroke="#9e9e9e"
              strokeWidth={1.2}
              markerEnd="url(#layered-graph-arrow)"
            />
            {e.label && e.x !== undefined && e.y !== undefined && (
              <text
                x={e.x}
                y={e.y + 4}
                textAnchor="middle"
                fontSize={10}
                fill="#616161"
              >
                {e.label}
              </text>
            )}
          </g>
        ))}
        {layout.nodes.map(({ node, x, y }) => (
          <g key={node.id} transform={`translate(${x},${y})`}>
            {renderNode(node)}
          </g>
        ))}
      </g>
    </svg>
  );
}
