import type { ReactNode } from 'react';
import { Box, Chip, Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  BoundariesView,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import { ClusterCardFrame } from '../common/ClusterCardFrame';

const SEVERITY: Record<
  IsolationFinding['severity'],
  'info' | 'warning' | 'error'
> = {
  info: 'info',
  warning: 'warning',
  critical: 'error',
};

function Boundary(props: {
  label: string;
  kind: string;
  children: ReactNode;
  tone: string;
}) {
  return (
    <Box
      border={1}
      borderColor={props.tone}
      borderRadius={4}
      p={1}
      mt={1}
      aria-label={`${props.kind} ${props.label}`}
      role="group"
    >
      <Typography variant="subtitle2">
        {props.kind}: {props.label}
      </Typography>
      {props.children}
    </Box>
  );
}

function Boundaries(props: { view: BoundariesView }) {
  return (
    <>
      {props.view.environments.map(env => (
        <Boundary
          key={env.name}
          kind="Environment"
          label={env.name}
          tone="grey.500"
        >
          {env.accounts.map(
            ({ account, shared, teams, access, roleIdentities, vpcs }) => (
              <Boundary
                key={account.id}
                kind="Account"
                label={`${account.name} (${account.id})`}
                tone="primary.main"
              >
                <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
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
                </Box>
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
                    tone="secondary.main"
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
                        tone="success.main"
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
      <Box mt={2}>
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
      </Box>
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
