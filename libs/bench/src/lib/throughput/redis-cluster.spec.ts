import { onlineReplicas } from './redis-cluster';

describe('onlineReplicas', () => {
  it.each([
    {
      name: 'counts replicas whose state is online',
      info:
        '# Replication\r\nrole:master\r\nconnected_slaves:2\r\n' +
        'slave0:ip=127.0.0.1,port=1,state=online,offset=1\r\nslave1:ip=127.0.0.1,port=2,state=online,offset=1\r\n',
      online: 2,
    },
    {
      name: 'leaves out a replica still syncing (it cannot ack a WAIT yet)',
      info: 'connected_slaves:2\nslave0:ip=127.0.0.1,port=1,state=wait_bgsave,offset=0\nslave1:ip=127.0.0.1,port=2,state=online,offset=1\n',
      online: 1,
    },
    { name: 'is zero before any replica connected', info: 'role:master\nconnected_slaves:0\n', online: 0 },
  ])('$name', ({ info, online }) => {
    expect(onlineReplicas(info)).toBe(online);
  });
});
