import type { ReactNode } from 'react';
import { Chip, makeStyles, Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  BoundariesView,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterCardFrame } from '../common/ClusterCardFrame';
import { useLayout } from '../common/layout';

const SEVERITY: Record<
  IsolationFinding['severity'],
  'info' | 'warning' | 'error'
> = {
  info: 'info',
  warning: 'warning',
  critical: 'error',
};

const useStyles = makeStyles(theme => ({
  boundary: {
    border: '1px solid',
    borderRadius: 4,
    padding: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  environment: { borderColor: theme.palette.grey[500] },
  account: { borderColor: theme.palette.primary.main },
  vpc: { borderColor: theme.palette.secondary.main },
  cluster: { borderColor: theme.palette.success.main },
}));

function Boundary(props: {
  label: string;
  kind: string;
  children: ReactNode;
  tone: 'environment' | 'account' | 'vpc' | 'cluster';
}) {
  const classes = useStyles();
  return (
    <div
      className={`${classes.boundary} ${classes[props.tone]}`}
      aria-label={`${props.kind} ${props.label}`}
      role="group"
    >
      <Typography variant="subtitle2">
        {props.kind}: {props.label}
      </Typography>
      {props.children}
    </div>
  );
}

function Boundaries(props: { view: BoundariesView }) {
  const layout = useLayout();
  return (
    <>
      {props.view.environments.map(env => (
        <Boundary
          key={env.name}
          kind="Environment"
          label={env.name}
          tone="environment"
        >
          {env.accounts.map(
            ({ account, shared, teams, access, roleIdentities, vpcs }) => (
              <Boundary
                key={account.id}
                kind="Account"
                label={`${account.name} (${account.id})`}
                tone="account"
              >
                <div className={layout.words}>
                  <Chip size="small" label={tenancy(shared, teams.length)} />
                  <Chip
                    size="small"
                    label={`access: ${account.accessModel ?? 'unknown'}`}
                  />
                  {roleIdentities.map(r => (
                    <Chip
                      key={r}
                      size="small"
                      variant="outlined"
                      label={`role identity ${r}`}
                    />
                  ))}
                </div>
                <Typography variant="body2">Who can get in:</Typography>
                <ul>
                  {access.map(a => (
                    <li key={`${a.who}-${a.how}`}>
                      {a.who}: {a.how}
                    </li>
                  ))}
                </ul>
                {vpcs.map((vpc, i) => (
                  <Boundary
                    key={vpc.id ?? i}
                    kind="VPC"
                    label={`${vpc.id ?? 'not created'} ${vpc.cidrs.join(', ')}`}
                    tone="vpc"
                  >
                    <Chip
                      size="small"
                      label={vpc.shared ? 'shared VPC' : 'dedicated VPC'}
                    />
                    {vpc.clusters.map(c => (
                      <Boundary
                        key={c.ref}
                        kind="Cluster"
                        label={c.name}
                        tone="cluster"
                      >
                        <Typography variant="body2">
                          {c.owner} · API {c.apiMode}
                          {c.allowedCidrs.length
                            ? ` from ${c.allowedCidrs.join(', ')}`
                            : ''}
                        </Typography>
                      </Boundary>
                    ))}
                  </Boundary>
                ))}
              </Boundary>
            ),
          )}
        </Boundary>
      ))}
      <div className={layout.mt2}>
        {props.view.findings.length === 0 ? (
          <Typography variant="body2">No isolation findings.</Typography>
        ) : (
          props.view.findings.map(f => (
            <Alert
              key={`${f.code}-${f.subjects.join(',')}`}
              severity={SEVERITY[f.severity]}
            >
              <AlertTitle>
                {f.title}
                {f.accepted ? ' (accepted)' : ''}
              </AlertTitle>
              {f.explanation}
              {f.accepted ? (
                <Typography variant="body2">
                  The platform team accepts this {f.accepted.severity} finding
                  here
                  {f.accepted.reason ? `: ${f.accepted.reason}` : '.'}
                </Typography>
              ) : null}
            </Alert>
          ))
        )}
      </div>
    </>
  );
}

/** The current cluster entity inside its environment, account and VPC, with the isolation findings. */

/** Whether an account is the team's alone, and if not, how many of its teams the caller sees. */
function tenancy(shared: boolean, teams: number): string {
  if (!shared) return 'dedicated';
  return teams > 1 ? `shared by ${teams} teams` : 'shared with other teams';
}

export function EntityClusterBoundariesCard() {
  return (
    <ClusterCardFrame
      title="Isolation boundaries"
      saysWhoseCluster
      emptyTitle="No boundaries known"
      emptyDescription="The cluster is not placed in an account yet."
      isEmpty={d =>
        d.boundaries.environments.length === 0 &&
        d.boundaries.findings.length === 0
      }
    >
      {d => <Boundaries view={d.boundaries} />}
    </ClusterCardFrame>
  );
}
