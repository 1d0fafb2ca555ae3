import { Typography } from '@material-ui/core';
import type { NodePoolScaling } from '@clusterdeck/plugin-aws-clusters-common';
import { sizeHistory, SizePoint } from './scalingHistory';

const WIDTH = 640;
const HEIGHT = 140;
/** The plot area's edges inside the picture: room for the axis labels left and below. */
const PLOT = { left: 36, right: WIDTH - 12, top: 10, bottom: HEIGHT - 24 };

function stepPath(
  points: SizePoint[],
  field: 'desired' | 'current',
  x: (t: number) => number,
  y: (n: number) => number,
): string {
  const known = points.filter(p => p[field] !== undefined);
  return known
    .map((p, i) => {
      const px = x(p.time);
      const py = y(p[field]!);
      return i === 0 ? `M ${px} ${py}` : `H ${px} V ${py}`;
    })
    .join(' ');
}

// One formatter for every chart: `toLocaleDateString` builds one (ICU's data loaded) per call.
const DAY = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' });
const date = (t: number) => DAY.format(t);

/**
 * The pool's desired and current size over the time its recent scaling activities cover, as steps,
 * with its maximum as a dashed line and the failed activities marked on the time axis.
 */
export function SizeHistoryChart(props: {
  pool: NodePoolScaling;
  now: number;
}) {
  const { pool, now } = props;
  const points = sizeHistory(pool, now);
  if (points.length === 0)
    return (
      <Typography variant="body2" color="textSecondary">
        No size changes among the recent scaling activities.
      </Typography>
    );
  const failed = pool.activities
    .filter(a => a.status === 'failed')
    .map(a => Date.parse(a.time))
    .filter(t => !Number.isNaN(t));
  const first = Math.min(points[0].time, ...failed);
  const span = Math.max(now - first, 1);
  const top = Math.max(
    pool.max,
    ...points.map(p => Math.max(p.desired ?? 0, p.current ?? 0)),
    1,
  );
  const x = (t: number) =>
    PLOT.left + ((t - first) / span) * (PLOT.right - PLOT.left);
  const y = (n: number) => PLOT.top + (1 - n / top) * (PLOT.bottom - PLOT.top);
  const summary = points
    .map(
      p =>
        `${new Date(p.time).toISOString()}: ${[
          p.desired !== undefined ? `desired ${p.desired}` : '',
          p.current !== undefined ? `current ${p.current}` : '',
        ]
          .filter(Boolean)
          .join(', ')}`,
    )
    .join('; ');
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      style={{ maxWidth: WIDTH, display: 'block' }}
      role="img"
      aria-label={`${pool.name} size over time: ${summary}`}
    >
      {/* The axes: up the left edge, along the bottom. */}
      <path
        d={`M ${PLOT.left} ${PLOT.top} V ${PLOT.bottom} H ${PLOT.right}`}
        fill="none"
        stroke="#9e9e9e"
      />
      {pool.max > 0 && (
        <>
          <line
            x1={PLOT.left}
            x2={PLOT.right}
            y1={y(pool.max)}
            y2={y(pool.max)}
            stroke="#b71c1c"
            strokeDasharray="4 3"
          />
          <text
            x={PLOT.right}
            y={y(pool.max) - 3}
            fontSize={12}
            textAnchor="end"
            fill="#8e0000"
          >
            max {pool.max}
          </text>
        </>
      )}
      <text
        x={PLOT.left - 4}
        y={y(top) + 4}
        fontSize={12}
        textAnchor="end"
        fill="#424242"
      >
        {top}
      </text>
      <text
        x={PLOT.left - 4}
        y={y(0) + 4}
        fontSize={12}
        textAnchor="end"
        fill="#424242"
      >
        0
      </text>
      <text x={PLOT.left} y={HEIGHT - 6} fontSize={12} fill="#424242">
        {date(first)}
      </text>
      <text
        x={PLOT.right}
        y={HEIGHT - 6}
        fontSize={12}
        textAnchor="end"
        fill="#424242"
      >
        now
      </text>
      <path
        d={stepPath(points, 'desired', x, y)}
        fill="none"
        stroke="#e65100"
        strokeWidth={2}
        strokeDasharray="6 3"
      />
      <path
        d={stepPath(points, 'current', x, y)}
        fill="none"
        stroke="#1565c0"
        strokeWidth={2}
      />
      {failed.map((t, i) => (
        <path
          key={i}
          d={`M ${x(t) - 4} ${PLOT.bottom + 8} l 4 -7 l 4 7 z`}
          fill="#c62828"
        />
      ))}
    </svg>
  );
}
