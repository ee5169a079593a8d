// `baton` with the probe connector registered: what a child process needs to run `baton doctor`
// against a local server (nock cannot reach into another process).
import { findConnector, registerConnector } from '../../../src/connectors/kit/registry.js';
import { probeConnector } from './probe-connector.js';

if (!findConnector('probe')) registerConnector(probeConnector);
await import('../../../src/cli.js');
