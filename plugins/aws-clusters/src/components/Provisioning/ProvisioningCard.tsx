import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Step from '@material-ui/core/Step';
import StepContent from '@material-ui/core/StepContent';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import type {
  ProvisioningStep,
  ProvisioningTimeline,
} from '@clusterdeck/plugin-aws-clusters-common';
import { clusterRefOfEntity } from '../../api';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { useLayout } from '../common/layout';
import { PROVISIONING_ANCHOR } from './provisioningLink';
import { useProvisioning } from './useProvisioning';

const PHASE_LABELS: Record<ProvisioningTimeline['phase'], string> = {
  requested: 'requested: waiting for the management cluster',
  provisioning: 'provisioning',
  ready: 'ready',
  failed: 'failing',
  deleting: 'deleting',
};

/** A duration the way people say it: `45 s`, `12 min`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

function time(at: string | undefined): string {
  if (!at) return '';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString();
}

function StepText(props: {
  step: ProvisioningStep;
  timeline: ProvisioningTimeline;
}) {
  const { step, timeline } = props;
  const blocking =
    timeline.blocking?.stepId === step.id ? timeline.blocking : undefined;
  return (
    <>
      {step.detail ? (
        <Typography variant="body2">{step.detail}</Typography>
      ) : null}
      {blocking ? (
        <Typography variant="body2" data-testid="blocking">
          {step.state === 'failed' ? 'failing' : 'waiting'} for{' '}
          {formatDuration(blocking.forMs)} (since {time(blocking.since)})
          {blocking.reason ? ` · ${blocking.reason}` : ''}
        </Typography>
      ) : null}
      {step.message ? (
        <Typography variant="body2" color="textSecondary">
          {step.message}
        </Typography>
      ) : null}
      {step.source ? (
        <Typography variant="caption" color="textSecondary">
          {step.source}
        </Typography>
      ) : null}
    </>
  );
}

/** The steps of a timeline as a vertical stepper: done steps with their time, the blocking one open. */
export function ProvisioningSteps(props: { timeline: ProvisioningTimeline }) {
  const { timeline } = props;
  const open = timeline.steps.findIndex(s => s.state !== 'done');
  return (
    <Stepper
      orientation="vertical"
      activeStep={open === -1 ? timeline.steps.length : open}
      style={{ padding: 0 }}
    >
      {timeline.steps.map(step => (
        <Step
          key={step.id}
          completed={step.state === 'done'}
          expanded={step.state === 'active' || step.state === 'failed'}
          data-testid={`step-${step.id}`}
          data-state={step.state}
        >
          <StepLabel
            error={step.state === 'failed'}
            optional={
              step.state === 'done' && step.at ? (
                <Typography variant="caption">
                  {time(step.at)}
                  {step.detail ? ` · ${step.detail}` : ''}
                </Typography>
              ) : undefined
            }
          >
            {step.title}
          </StepLabel>
          {/* Step passes its state to its direct children, so StepContent sits here. */}
          <StepContent TransitionProps={{ appear: false }}>
            <StepText step={step} timeline={timeline} />
          </StepContent>
        </Step>
      ))}
    </Stepper>
  );
}

/**
 * The cluster's provisioning timeline on its entity page: from the request (who, when, which
 * branch) through each Cluster API and CAPA step to ready, or in reverse while it is deleted.
 * It follows changes as the backend pushes them (or polls without signals).
 * @public
 */
export function EntityClusterProvisioningCard() {
  const { entity } = useEntity();
  const ref = clusterRefOfEntity(entity);
  const { value, loading, error, live } = useProvisioning(ref);
  const layout = useLayout();
  let body;
  if (loading) body = <Progress />;
  // A cluster the user may not see: the boundaries card says whose it is, this card draws nothing.
  else if (error && (error as { statusCode?: number }).statusCode === 404)
    return null;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) {
    const { request, blocking } = value;
    body = (
      <>
        <StaleDataWarning
          sources={value.sources}
          generatedAt={value.generatedAt}
        />
        <div className={`${layout.row} ${layout.mb1}`}>
          <Chip
            size="small"
            label={PHASE_LABELS[value.phase]}
            color={value.phase === 'failed' ? 'secondary' : 'default'}
            data-testid="provisioning-phase"
          />
          {request ? (
            <Typography variant="body2">
              Requested by {request.by} on {time(request.at)}
              {request.branch ? ` · branch ${request.branch}` : ''}
            </Typography>
          ) : null}
          <Typography variant="caption" color="textSecondary">
            {live ? 'live' : 'refreshed every 30 s'}
          </Typography>
        </div>
        {blocking && value.phase === 'failed' ? (
          <Alert severity="error">
            {blocking.title}: {blocking.reason ?? 'failed'}
            {blocking.message ? ` — ${blocking.message}` : ''}
          </Alert>
        ) : null}
        <ProvisioningSteps timeline={value} />
      </>
    );
  }
  return (
    <div id={PROVISIONING_ANCHOR}>
      <InfoCard
        title={
          value?.direction === 'delete' ? 'Deprovisioning' : 'Provisioning'
        }
      >
        {body}
      </InfoCard>
    </div>
  );
}
