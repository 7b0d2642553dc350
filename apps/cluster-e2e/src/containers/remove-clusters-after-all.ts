// Each test file stops its own cluster in afterAll; this catches the one it never got, e.g. when
// its beforeAll timed out while the containers were still starting.
import { stopAllDockerClusters } from '@quorum-kv/bench/docker';

afterAll(() => stopAllDockerClusters());
