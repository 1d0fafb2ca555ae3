import { forwardRef, KeyboardEvent, useMemo, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  DialogContent,
  DialogTitle,
  IconButton,
  Link,
  makeStyles,
  Typography,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import FullscreenIcon from '@material-ui/icons/Fullscreen';
import GetAppIcon from '@material-ui/icons/GetApp';
import type {
  NodePoolScaling,
  TopologyView,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  DiagramBox,
  layoutTopology,
  lineBaseline,
  lineFontSize,
  TopologyLayout,
} from './layoutTopology';
import type { DiagramItem, DiagramKind } from './topologyItems';
import { downloadFile } from '../common/downloadFile';
import { useLayout } from '../common/layout';

/** Fill, border and dash of each kind of box, after AWS's architecture icons' group colours. */
const STYLE: Record<
  DiagramKind,
  { fill: string; stroke: string; dash?: string }
> = {
  region: { fill: '#ffffff', stroke: '#147eba', dash: '6 4' },
  vpc: { fill: '#f7fbf5', stroke: '#248814' },
  zone: { fill: '#ffffff', stroke: '#147eba', dash: '4 3' },
  public: { fill: '#e9f3e6', stroke: '#248814' },
  private: { fill: '#e6f2f8', stroke: '#147eba' },
  pod: { fill: '#fdf3e1', stroke: '#b26a00' },
  other: { fill: '#f2f2f2', stroke: '#7d8998', dash: '4 3' },
  unplaced: { fill: '#f2f2f2', stroke: '#7d8998', dash: '4 3' },
  nat: { fill: '#ffffff', stroke: '#8c4fff' },
  lb: { fill: '#ffffff', stroke: '#8c4fff' },
  pool: { fill: '#ffffff', stroke: '#d45b07' },
  igw: { fill: '#f3ecff', stroke: '#8c4fff' },
  tgw: { fill: '#f3ecff', stroke: '#8c4fff' },
  peering: { fill: '#f3ecff', stroke: '#8c4fff' },
  api: { fill: '#fff4e5', stroke: '#d45b07' },
};

/** What each colour stands for. */
export const LEGEND: Array<[DiagramKind, string]> = [
  ['region', 'Account and region'],
  ['vpc', 'VPC'],
  ['zone', 'Availability zone'],
  ['public', 'Public subnet'],
  ['private', 'Private subnet'],
  ['pod', 'ENI pod subnet'],
  ['other', 'Subnet the cluster does not use'],
  ['nat', 'NAT gateway, load balancer'],
  ['pool', 'Node pool'],
  ['tgw', 'Internet gateway, transit gateway, peering'],
  ['api', 'Kubernetes API endpoint'],
];

const TEXT_COLOR = '#16191f';

const useStyles = makeStyles(theme => ({
  scroller: {
    overflowX: 'auto',
    overflowY: 'hidden',
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  svg: {
    display: 'block',
    fontFamily: theme.typography.fontFamily,
    '& g[role=button]': { cursor: 'pointer', outline: 'none' },
    '& g[role=button]:focus > rect, & g[role=button]:hover > rect': {
      strokeWidth: 3,
    },
  },
  details: {
    marginTop: theme.spacing(1),
    padding: theme.spacing(1),
    border: `1px solid ${theme.palette.grey[400]}`,
    borderRadius: 4,
  },
  term: { display: 'inline', fontWeight: 600 },
  definition: { display: 'inline', margin: 0 },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  swatch: {
    display: 'inline-block',
    width: 14,
    height: 14,
    marginRight: 4,
    verticalAlign: 'middle',
    borderWidth: 2,
    borderStyle: 'solid',
  },
}));

function BoxShape(props: {
  box: DiagramBox;
  selected: boolean;
  onSelect: (item: DiagramItem) => void;
}) {
  const { box, selected, onSelect } = props;
  const style = STYLE[box.kind];
  const item = box.item;
  const onKeyDown = (e: KeyboardEvent) => {
    if (item && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      onSelect(item);
    }
  };
  const rect = (
    <rect
      width={box.w}
      height={box.h}
      rx={box.kind === 'region' || box.kind === 'vpc' ? 2 : 4}
      fill={style.fill}
      stroke={selected ? '#000000' : style.stroke}
      strokeWidth={selected ? 3 : 1.5}
      strokeDasharray={style.dash}
    />
  );
  // The lines are drawn over the box, outside its button: the button's name (the item's label)
  // says what they say, and clicks pass through them to the box.
  const text = (
    <g aria-hidden="true" pointerEvents="none">
      {box.lines.map((line, i) => (
        <text
          key={i}
          x={8}
          y={lineBaseline(box, i)}
          fontSize={lineFontSize(box, i)}
          fontWeight={i === 0 ? 600 : 400}
          fill={TEXT_COLOR}
        >
          {line}
        </text>
      ))}
    </g>
  );
  if (!item)
    return (
      <g transform={`translate(${box.x},${box.y})`} data-kind={box.kind}>
        {rect}
        {text}
      </g>
    );
  return (
    <g transform={`translate(${box.x},${box.y})`}>
      <g
        data-kind={box.kind}
        role="button"
        tabIndex={0}
        aria-label={item.label}
        aria-pressed={selected}
        onClick={() => onSelect(item)}
        onKeyDown={onKeyDown}
      >
        <title>{item.label}</title>
        {rect}
      </g>
      {text}
    </g>
  );
}

/** The diagram as SVG at its natural size. */
const DiagramSvg = forwardRef<
  SVGSVGElement,
  {
    layout: TopologyLayout;
    selected?: DiagramItem;
    onSelect: (item: DiagramItem) => void;
    title: string;
  }
>(function DrawnDiagram(props, ref) {
  const classes = useStyles();
  const { layout } = props;
  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      className={classes.svg}
      role="group"
      aria-label={props.title}
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
    >
      {layout.boxes.map(box => (
        <BoxShape
          key={box.key}
          box={box}
          selected={!!box.item && props.selected?.id === box.item.id}
          onSelect={props.onSelect}
        />
      ))}
    </svg>
  );
});

function Details(props: { item: DiagramItem; onClose: () => void }) {
  const { item } = props;
  const classes = useStyles();
  const layout = useLayout();
  return (
    <div className={classes.details} role="region" aria-label="Details">
      <div className={layout.ends}>
        <Typography variant="subtitle2" component="h3">
          {item.label}
        </Typography>
        <IconButton
          size="small"
          aria-label="Close details"
          onClick={props.onClose}
        >
          <CloseIcon fontSize="small" />
        </IconButton>
      </div>
      <dl style={{ margin: 0 }}>
        {[
          ...item.details,
          ...Object.entries(item.tags ?? {}).map(
            ([k, v]) => [`tag ${k}`, v] as [string, string],
          ),
        ].map(([k, v]) => (
          <Typography key={k} variant="body2" component="div">
            <dt className={classes.term}>{k}:</dt>{' '}
            <dd className={classes.definition}>{v}</dd>
          </Typography>
        ))}
      </dl>
      {item.consoleUrl && (
        <Link href={item.consoleUrl} target="_blank" rel="noopener">
          Open in the AWS console
        </Link>
      )}
    </div>
  );
}

function Legend() {
  const classes = useStyles();
  return (
    <ul className={classes.legend} aria-label="Legend">
      {LEGEND.map(([kind, text]) => (
        <li key={kind}>
          <Typography variant="caption">
            <span
              className={classes.swatch}
              style={{
                background: STYLE[kind].fill,
                borderColor: STYLE[kind].stroke,
                borderStyle: STYLE[kind].dash ? 'dashed' : 'solid',
              }}
            />
            {text}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/** The SVG document of a drawn diagram, ready to save. */
export function svgDocument(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('font-family', 'Helvetica, Arial, sans-serif');
  copy.removeAttribute('class');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(
    copy,
  )}\n`;
}

/**
 * A cluster's network as an AWS architecture diagram, drawn at its natural size (labels 12 px and
 * more; a diagram wider than its place scrolls sideways), with a full-screen view, an SVG
 * download, and the details of a box on click or Enter.
 */
export function TopologyDiagram(props: {
  view: TopologyView;
  accountName?: string;
  nodePools?: NodePoolScaling[];
}) {
  const classes = useStyles();
  const frame = useLayout();
  const { view, accountName, nodePools } = props;
  const layout = useMemo(
    () => layoutTopology(view, { accountName, nodePools }),
    [view, accountName, nodePools],
  );
  const [selected, setSelected] = useState<DiagramItem | undefined>();
  const [fullScreen, setFullScreen] = useState(false);
  const svgRef = useRef<SVGSVGElement>(null);
  const name = view.cluster.split('/').pop() ?? 'cluster';
  const title = `Network of cluster ${name}: Tab or click a box for its details`;
  const diagram = (ref?: typeof svgRef) => (
    <div
      className={classes.scroller}
      // A region that scrolls sideways takes the keyboard's focus, so that the arrows scroll it.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      role="region"
      aria-label={`Diagram of cluster ${name}'s network`}
    >
      <DiagramSvg
        ref={ref}
        layout={layout}
        selected={selected}
        onSelect={setSelected}
        title={title}
      />
    </div>
  );
  const details = selected && (
    <Details item={selected} onClose={() => setSelected(undefined)} />
  );
  return (
    <>
      <div className={`${frame.ends} ${frame.mb1}`}>
        <Legend />
        <div className={frame.row}>
          <Button
            size="small"
            startIcon={<FullscreenIcon />}
            onClick={() => setFullScreen(true)}
          >
            Full screen
          </Button>
          <Button
            size="small"
            startIcon={<GetAppIcon />}
            onClick={() =>
              svgRef.current &&
              downloadFile(
                svgDocument(svgRef.current),
                'image/svg+xml',
                `${name}-network.svg`,
              )
            }
          >
            Download SVG
          </Button>
        </div>
      </div>
      {diagram(svgRef)}
      {!fullScreen && details}
      <Dialog
        fullScreen
        open={fullScreen}
        onClose={() => setFullScreen(false)}
        aria-labelledby="topology-full-screen-title"
      >
        <DialogTitle id="topology-full-screen-title" disableTypography>
          <div className={frame.ends}>
            <Typography variant="h6" component="h2">
              Network of {name}
            </Typography>
            <IconButton
              aria-label="Close full screen"
              onClick={() => setFullScreen(false)}
            >
              <CloseIcon />
            </IconButton>
          </div>
        </DialogTitle>
        <DialogContent>
          {diagram()}
          {details}
        </DialogContent>
      </Dialog>
    </>
  );
}
