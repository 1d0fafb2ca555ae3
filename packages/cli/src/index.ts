/**
 * The clusterdeck command line: validates and renders cluster requests, and checks their
 * references against a fleet (a running Backstage or a recorded snapshot).
 *
 * @packageDocumentation
 */
export { main, runCli } from './main';
export type { CliEnvironment, CliOutcome } from './main';
