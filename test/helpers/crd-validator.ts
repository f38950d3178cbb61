import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

/**
 * Validates custom resources against the meshes' published CRDs (shared/crds, copied unchanged from their
 * repositories), as an API server's structural checks would: types, required fields, enums, patterns, and
 * unknown fields wherever the schema does not preserve them (a server-side apply with strict field
 * validation rejects those; pruning would drop them silently otherwise). Not checked: CEL rules
 * (x-kubernetes-validations) and formats, which need the API server itself, and a mesh's own admission webhook.
 */
type Schema = Record<string, unknown>;

export interface CrdValidator {
  /** "group/version Kind" of every CRD version loaded. */
  kinds(): string[];
  has(apiVersion: string, kind: string): boolean;
  /** Problems of one object ("spec.mtls.mode: must be equal to one of the allowed values"); empty: valid. */
  problems(obj: { apiVersion: string; kind: string }): string[];
}

/** An OpenAPI v3 structural schema as a JSON schema: closed objects, int-or-string, nothing Kubernetes-only. */
function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (typeof s !== 'object' || s === null) return s;
  const src = s as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-') || k === 'format' || k === 'description') continue;
    out[k] =
      k === 'properties' || k === 'patternProperties'
        ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, toJsonSchema(ps)]))
        : toJsonSchema(v);
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserve = src['x-kubernetes-preserve-unknown-fields'] === true;
  if (src.type === 'object' && !preserve && out.additionalProperties === undefined && out.properties)
    out.additionalProperties = false;
  if (src.type === 'object' && !preserve && !out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

export function loadCrdValidator(dir: string): CrdValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as {
        kind?: string;
        spec?: {
          group: string;
          names: { kind: string };
          versions: { name: string; schema?: { openAPIV3Schema?: Schema } }[];
        };
      } | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const v of crd.spec.versions) {
        const schema = v.schema?.openAPIV3Schema;
        if (!schema) continue;
        // apiVersion, kind and metadata are the API server's (TypeMeta, ObjectMeta), allowed at the root of
        // every custom resource whatever its schema lists; metadata is checked by the built-in schemas.
        const json = toJsonSchema({
          ...schema,
          properties: {
            ...(schema.properties as Schema),
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        });
        validators.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, ajv.compile(json as Schema));
      }
    }
  }
  return {
    kinds: () => [...validators.keys()],
    has: (apiVersion, kind) => validators.has(`${apiVersion} ${kind}`),
    problems(obj) {
      const validate = validators.get(`${obj.apiVersion} ${obj.kind}`);
      if (!validate) return [`no published CRD for ${obj.apiVersion} ${obj.kind}`];
      if (validate(obj)) return [];
      return (validate.errors ?? []).map(
        (e) =>
          `${e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)'}: ${e.message ?? e.keyword}${
            e.keyword === 'additionalProperties'
              ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
              : e.keyword === 'enum'
                ? ` (${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})`
                : ''
          }`,
      );
    },
  };
}
