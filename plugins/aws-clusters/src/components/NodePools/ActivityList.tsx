import { useState } from 'react';
import { Button, Chip, Typography } from '@material-ui/core';
import type { ScalingActivity } from '@clusterdeck/plugin-aws-clusters-common';
import { useLayout } from '../common/layout';
import { orderedActivities } from './scalingHistory';

const STATUS_STYLE: Record<
  ScalingActivity['status'],
  { background: string; color: string }
> = {
  failed: { background: '#ffebee', color: '#8e0000' },
  successful: { background: '#e8f5e9', color: '#1b5e20' },
  'in-progress': { background: '#e3f2fd', color: '#0d47a1' },
  cancelled: { background: '#eeeeee', color: '#424242' },
};

/** The pool's scaling activities, failed ones first with AWS's cause, then newest first. */
export function ActivityList(props: {
  pool: string;
  activities: ScalingActivity[];
}) {
  const layout = useLayout();
  const [all, setAll] = useState(false);
  const ordered = orderedActivities(props.activities);
  if (ordered.length === 0)
    return <Typography variant="body2">No recent scaling activity.</Typography>;
  const shown = all ? ordered : ordered.slice(0, 5);
  return (
    <>
      <ul
        className={layout.plainList}
        aria-label={`Scaling activities of ${props.pool}`}
      >
        {shown.map((a, i) => (
          <li key={`${a.time}-${i}`} className={layout.mb1}>
            <div className={layout.row}>
              <Chip
                size="small"
                label={a.status}
                style={STATUS_STYLE[a.status]}
              />
              <Typography variant="body2" component="span">
                <time dateTime={a.time}>
                  {a.time.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}
                </time>{' '}
                {a.description}
              </Typography>
            </div>
            {a.cause && (
              <Typography variant="body2" color="textSecondary">
                {a.status === 'failed' ? 'AWS says: ' : 'Cause: '}
                {a.cause}
              </Typography>
            )}
          </li>
        ))}
      </ul>
      {ordered.length > 5 && (
        <Button size="small" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${ordered.length} activities`}
        </Button>
      )}
    </>
  );
}
