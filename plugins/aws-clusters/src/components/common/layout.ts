import { makeStyles } from '@material-ui/core';

/**
 * Layout classes of the plugin's cards, from one static style sheet. Material UI's Box gives each
 * element it draws a style sheet of its own (a `<style>` element added to the page, and removed
 * again, each time), which a card of a row per node pool or per cluster pays for at every mount;
 * these classes cost nothing per element.
 */
export const useLayout = makeStyles(
  theme => ({
    /** Items side by side, wrapping, centred on a line, 8 px apart. */
    row: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(1),
    },
    /** Items side by side, wrapping, on their text's baseline, 4 px apart. */
    words: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'baseline',
      gap: theme.spacing(0.5),
    },
    /** Two ends of a line: a title and its actions. */
    ends: {
      display: 'flex',
      flexWrap: 'wrap',
      justifyContent: 'space-between',
      alignItems: 'center',
      gap: theme.spacing(1),
    },
    /** A list without bullets or indent. */
    plainList: { margin: 0, paddingLeft: 0, listStyle: 'none' },
    /** A bulleted list, indented. */
    list: { margin: 0, paddingLeft: theme.spacing(2) },
    mt1: { marginTop: theme.spacing(1) },
    mt2: { marginTop: theme.spacing(2) },
    mb1: { marginBottom: theme.spacing(1) },
    mb2: { marginBottom: theme.spacing(2) },
    mb3: { marginBottom: theme.spacing(3) },
    mr4: { marginRight: theme.spacing(4) },
  }),
  { name: 'ClusterdeckLayout' },
);
