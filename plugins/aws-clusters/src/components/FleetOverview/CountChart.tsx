import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  // A plain button (no ripple to mount per bar: a fleet page draws dozens of them).
  row: {
    appearance: 'none',
    border: 0,
    margin: 0,
    background: 'transparent',
    color: 'inherit',
    font: 'inherit',
    cursor: 'pointer',
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr) 3em',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    padding: theme.spacing(0.25, 0.5),
    borderRadius: 4,
    textAlign: 'left',
    '&:hover': { background: theme.palette.action.hover },
    '&[aria-pressed=true]': { background: theme.palette.action.selected },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
    },
  },
  label: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  count: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  // Labels of several words (version support, cost ranges) take the room and wrap.
  wideRow: { gridTemplateColumns: 'minmax(0, 4fr) minmax(0, 2fr) 3em' },
  wrappedLabel: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
}));

/**
 * Counts as horizontal bars, one button per value: pressing one filters the page by it (pressed
 * again, it drops the filter). Plain SVG bars sized against the largest count.
 */
export function CountChart(props: {
  title: string;
  counts: Array<[string, number]>;
  selected: string[];
  onToggle: (value: string) => void;
  /** The most bars shown; the rest are summed as "others". */
  limit?: number;
  colorOf?: (value: string) => string;
  /** How a value reads; the value itself by default. */
  labelOf?: (value: string) => string;
  /** Labels of several words: a wider label column, wrapped rather than cut. */
  wrapLabels?: boolean;
}) {
  const classes = useStyles();
  const limit = props.limit ?? 8;
  const shown = props.counts.slice(0, limit);
  const rest = props.counts.slice(limit).reduce((sum, [, n]) => sum + n, 0);
  const max = Math.max(1, ...props.counts.map(([, n]) => n));
  const label = props.labelOf ?? ((value: string) => value);
  if (props.counts.length === 0)
    return <Typography variant="body2">No clusters.</Typography>;
  return (
    <ul className={classes.list} aria-label={props.title}>
      {shown.map(([value, n]) => (
        <li key={value}>
          <button
            type="button"
            className={`${classes.row} ${
              props.wrapLabels ? classes.wideRow : ''
            }`}
            aria-pressed={props.selected.includes(value)}
            aria-label={`${label(value)}: ${n} cluster${n === 1 ? '' : 's'}`}
            onClick={() => props.onToggle(value)}
          >
            <Typography
              variant="body2"
              className={`${classes.label} ${
                props.wrapLabels ? classes.wrappedLabel : ''
              }`}
            >
              {label(value)}
            </Typography>{' '}
            <svg width="100%" height="12" aria-hidden>
              <rect
                width={`${(n / max) * 100}%`}
                height="12"
                rx="2"
                fill={props.colorOf?.(value) ?? '#1f5493'}
              />
            </svg>
            <Typography variant="body2" className={classes.count}>
              {n}
            </Typography>
          </button>
        </li>
      ))}
      {rest > 0 && (
        <li>
          <Typography variant="caption">
            and {rest} more in {props.counts.length - limit} other values
          </Typography>
        </li>
      )}
    </ul>
  );
}
