import { CopyTextButton, Link } from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';
import { ClusterPartCard } from '../common/ClusterCardFrame';
import { useLayout } from '../common/layout';

const useStyles = makeStyles(theme => ({
  command: {
    display: 'flex',
    alignItems: 'center',
    backgroundColor: theme.palette.action.hover,
    padding: theme.spacing(0, 1),
    borderRadius: 4,
  },
  code: { flexGrow: 1, overflowWrap: 'anywhere' },
}));

/**
 * A cluster entity's Connect card: the command that adds the cluster to a kubeconfig (EKS, with
 * the owning team's access role) or logs in (Cluster API clusters, the platform's login command),
 * each with a copy button. Nothing secret: the commands run with the user's own credentials.
 * @public
 */
export function EntityConnectCard() {
  const layout = useLayout();
  const classes = useStyles();
  return (
    <ClusterPartCard part="connect">
      {connect => {
        return (
          <>
            {connect.commands.map(c => (
              <div key={c.label} className={layout.mb2}>
                <Typography variant="subtitle2">{c.label}</Typography>
                <div className={classes.command}>
                  <code className={classes.code}>{c.command}</code>
                  <CopyTextButton
                    text={c.command}
                    tooltipText="Command copied"
                    aria-label={`Copy: ${c.label}`}
                  />
                </div>
              </div>
            ))}
            {connect.missing ? (
              <Typography variant="body2" color="textSecondary">
                {connect.missing}
              </Typography>
            ) : null}
            {connect.documentationUrl ? (
              <Typography variant="body2">
                <Link to={connect.documentationUrl}>
                  The platform’s guide to connecting
                </Link>
              </Typography>
            ) : null}
          </>
        );
      }}
    </ClusterPartCard>
  );
}
