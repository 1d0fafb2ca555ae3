import { CopyTextButton, Link } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { ClusterPartCard } from '../common/ClusterCardFrame';

/**
 * A cluster entity's Connect card: the command that adds the cluster to a kubeconfig (EKS, with
 * the owning team's access role) or logs in (Cluster API clusters, the platform's login command),
 * each with a copy button. Nothing secret: the commands run with the user's own credentials.
 * @public
 */
export function EntityConnectCard() {
  return (
    <ClusterPartCard part="connect">
      {connect => {
        return (
          <>
            {connect.commands.map(c => (
              <Box key={c.label} mb={2}>
                <Typography variant="subtitle2">{c.label}</Typography>
                <Box
                  display="flex"
                  alignItems="center"
                  bgcolor="action.hover"
                  px={1}
                  borderRadius={4}
                >
                  <Box
                    component="code"
                    flexGrow={1}
                    style={{ overflowWrap: 'anywhere' }}
                  >
                    {c.command}
                  </Box>
                  <CopyTextButton
                    text={c.command}
                    tooltipText="Command copied"
                    aria-label={`Copy: ${c.label}`}
                  />
                </Box>
              </Box>
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
