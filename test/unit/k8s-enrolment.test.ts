import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { getMode } from '../../src/modes/registry.js';
import { enrolmentProblems, verifyEnrolment } from '../../src/platforms/kubernetes/verify-enrolment.js';
import { sidecarProxies } from '../../src/platforms/kubernetes/proxies.js';

function pod(
  o: {
    containers?: string[];
    init?: { name: string; restartPolicy?: string }[];
    annotations?: Record<string, string>;
  } = {},
): V1Pod {
  return {
    metadata: { name: 'server-1', namespace: 'ns', annotations: o.annotations ?? {} },
    spec: {
      nodeName: 'node-a',
      initContainers: (o.init ?? []).map((c) => ({
        ...c,
        image: 'docker.io/istio/proxyv2:1.28.0',
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      })),
      containers: ['fortio', ...(o.containers ?? [])].map((name) => ({
        name,
        image: name === 'fortio' ? 'fortio/fortio:1.69.5' : 'docker.io/istio/proxyv2:1.26.0',
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      })),
    },
  };
}
const ISTIO_STATUS = { 'sidecar.istio.io/status': '{}' };

describe('enrolment', () => {
  it('accepts an Istio sidecar as a container or as a native sidecar (init container)', () => {
    expect(
      enrolmentProblems(
        getMode('istio-sidecar'),
        pod({ containers: ['istio-proxy'], annotations: ISTIO_STATUS }),
      ),
    ).toEqual([]);
    expect(
      enrolmentProblems(
        getMode('istio-sidecar'),
        pod({ init: [{ name: 'istio-proxy', restartPolicy: 'Always' }], annotations: ISTIO_STATUS }),
      ),
    ).toEqual([]);
  });

  it('finds a pod the injector missed', () => {
    expect(enrolmentProblems(getMode('istio-sidecar'), pod())).toEqual([
      "pod server-1 has no istio-proxy container (the mesh's injector did not act on it)",
      'pod server-1 lacks annotation sidecar.istio.io/status',
    ]);
    expect(() => verifyEnrolment(getMode('appmesh'), [pod()])).toThrow(
      /mode appmesh: workloads are not enrolled as expected\n  pod server-1 has no envoy container/,
    );
  });

  it('requires ambient redirection, and no sidecar, in ambient modes', () => {
    expect(
      enrolmentProblems(
        getMode('istio-ambient'),
        pod({ annotations: { 'ambient.istio.io/redirection': 'enabled' } }),
      ),
    ).toEqual([]);
    expect(
      enrolmentProblems(
        getMode('istio-ambient'),
        pod({ annotations: { 'ambient.istio.io/redirection': 'disabled' } }),
      ),
    ).toHaveLength(1);
    expect(
      enrolmentProblems(
        getMode('istio-waypoint'),
        pod({ containers: ['istio-proxy'], annotations: { 'ambient.istio.io/redirection': 'enabled' } }),
      ),
    ).toEqual(['pod server-1 has a istio-proxy container, which mode istio-waypoint must not have']);
  });

  it('keeps baseline out of every mesh', () => {
    expect(enrolmentProblems(getMode('baseline'), pod())).toEqual([]);
    // Any registered mesh's proxy or injected init container.
    expect(enrolmentProblems(getMode('baseline'), pod({ containers: ['envoy'] }))).toHaveLength(1);
    expect(enrolmentProblems(getMode('baseline'), pod({ containers: ['linkerd-proxy'] }))).toHaveLength(1);
    expect(enrolmentProblems(getMode('baseline'), pod({ init: [{ name: 'istio-init' }] }))).toEqual([
      'pod server-1 has a istio-init container, which mode baseline must not have',
    ]);
    expect(
      enrolmentProblems(
        getMode('baseline'),
        pod({ annotations: { 'ambient.istio.io/redirection': 'enabled' } }),
      ),
    ).toHaveLength(1);
    expect(() => verifyEnrolment(getMode('baseline'), [pod({ annotations: ISTIO_STATUS })])).toThrow(
      /mutating webhooks/,
    );
  });

  it("reads each proxy's requests and limits from its pod spec", () => {
    const [p] = sidecarProxies(
      getMode('istio-sidecar'),
      [pod({ init: [{ name: 'istio-proxy', restartPolicy: 'Always' }] })],
      'server-sidecar',
    );
    expect(p?.info).toMatchObject({
      id: 'server-sidecar-1',
      role: 'server-sidecar',
      scope: 'pod',
      node: 'node-a',
      pod: 'server-1',
      implementation: 'envoy (istio-proxy) 1.28.0',
      requests: { cpuMillicores: 100, memMiB: 128 },
      limits: { cpuMillicores: 2000, memMiB: 1024 },
    });
    expect(p?.locator).toEqual({
      kind: 'container',
      namespace: 'ns',
      pod: 'server-1',
      container: 'istio-proxy',
      node: 'node-a',
    });
  });

  it('kuma: the kuma-sidecar container and the injected annotation prove enrolment', () => {
    const kumaPod = (annotations: Record<string, string>, containers = ['kuma-sidecar']) => {
      const p = pod({ containers, annotations });
      for (const c of p.spec!.containers)
        if (c.name === 'kuma-sidecar') c.image = 'docker.io/kumahq/kuma-dp:2.12.3';
      return p;
    };
    expect(enrolmentProblems(getMode('kuma'), kumaPod({ 'kuma.io/sidecar-injected': 'true' }))).toEqual([]);
    expect(enrolmentProblems(getMode('kuma'), kumaPod({}))).toEqual([
      'pod server-1 lacks annotation kuma.io/sidecar-injected=true',
    ]);
    expect(enrolmentProblems(getMode('kuma'), kumaPod({ 'kuma.io/sidecar-injected': 'true' }, []))).toEqual([
      "pod server-1 has no kuma-sidecar container (the mesh's injector did not act on it)",
    ]);
    expect(
      enrolmentProblems(getMode('baseline'), kumaPod({ 'kuma.io/sidecar-injected': 'true' })),
    ).toHaveLength(2);
    const [p] = sidecarProxies(getMode('kuma'), [kumaPod({})], 'server-sidecar');
    expect(p?.info.implementation).toBe('envoy (kuma-dp) 2.12.3');
    expect(p?.locator).toMatchObject({ kind: 'container', container: 'kuma-sidecar' });
  });

  it('linkerd: the linkerd-proxy container and the proxy-version annotation prove enrolment', () => {
    const lp = (annotations: Record<string, string>, containers = ['linkerd-proxy']) => {
      const p = pod({ containers, annotations });
      for (const c of p.spec!.containers)
        if (c.name === 'linkerd-proxy') c.image = 'cr.l5d.io/linkerd/proxy:edge-25.4.4';
      return p;
    };
    expect(enrolmentProblems(getMode('linkerd'), lp({ 'linkerd.io/proxy-version': 'edge-25.4.4' }))).toEqual(
      [],
    );
    expect(enrolmentProblems(getMode('linkerd'), lp({}))).toEqual([
      'pod server-1 lacks annotation linkerd.io/proxy-version',
    ]);
    expect(() => verifyEnrolment(getMode('linkerd'), [lp({}, [])])).toThrow(
      /has no linkerd-proxy container[\s\S]*linkerd\.io\/inject annotation/,
    );
    const [p] = sidecarProxies(getMode('linkerd'), [lp({})], 'server-sidecar');
    expect(p?.info.implementation).toBe('linkerd2-proxy edge-25.4.4');
  });
});
