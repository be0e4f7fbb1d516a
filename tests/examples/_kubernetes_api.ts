/**
 * Kubernetes manifests checked offline against the Kubernetes API, as strictly as
 * `kubectl apply --validate=strict`: kubernetes-models' JSON schemas (types, required fields,
 * enums, formats) and the official client's model tables (every field of every type, so that a
 * misspelt field is refused), both generated from Kubernetes' OpenAPI spec.
 *
 * @module
 */

import {
  DeploymentModel,
  HorizontalPodAutoscalerModel,
  kubernetesApiModels,
  ServiceModel,
} from "./_kubernetes_deps.ts";

/** A kubernetes-models class: built from a manifest, it checks it against its JSON schema. */
type SchemaModel = new (data?: never) => { validate(): void };

/** Each kind the example uses: kubernetes-models' class, and the client's name for its type. */
const API_TYPES: ReadonlyMap<string, { readonly model: SchemaModel; readonly apiType: string }> =
  new Map([
    ["apps/v1 Deployment", { model: DeploymentModel, apiType: "V1Deployment" }],
    ["v1 Service", { model: ServiceModel, apiType: "V1Service" }],
    [
      "autoscaling/v2 HorizontalPodAutoscaler",
      { model: HorizontalPodAutoscalerModel, apiType: "V2HorizontalPodAutoscaler" },
    ],
  ]);

/** One field of an API type, as the client's model tables describe it. */
interface ApiField {
  /** The field's name in JSON and YAML. */
  readonly baseName: string;
  /** `string`, `number`, `V1Container`, `Array<V1Container>`, `{ [key: string]: string; }`… */
  readonly type: string;
}

const API_MODELS: ReadonlyMap<string, unknown> = new Map(Object.entries(kubernetesApiModels));

/** Checks for the client's leaf types, as a manifest spells their values. */
const LEAF_TYPES: ReadonlyMap<string, (value: unknown) => boolean> = new Map([
  ["any", () => true],
  ["string", (value: unknown) => typeof value === "string"],
  ["Date", (value: unknown) => typeof value === "string"],
  ["number", (value: unknown) => typeof value === "number"],
  ["boolean", (value: unknown) => typeof value === "boolean"],
  ["IntOrString", (value: unknown) => typeof value === "string" || Number.isInteger(value)],
]);

/** Whether `value` is a YAML map (not a list, not null). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function apiFields(apiType: string): readonly ApiField[] | undefined {
  const model = API_MODELS.get(apiType) as { getAttributeTypeMap?(): ApiField[] } | undefined;
  return model?.getAttributeTypeMap?.();
}

/**
 * What `kubectl apply --validate=strict` refuses and the JSON schemas let through: a field the
 * API type does not have (the API server would drop a misspelt field without a word), or a value
 * of the wrong JSON type.
 */
function strictErrors(value: unknown, apiType: string, path: string): string[] {
  if (value === null) return [];
  const item = /^Array<(.+)>$/.exec(apiType)?.[1];
  if (item !== undefined) {
    return Array.isArray(value)
      ? value.flatMap((element, i) => strictErrors(element, item, `${path}/${i}`))
      : [`${path} must be a list`];
  }
  const entry = /^\{ \[key: string\]: (.+); \}$/.exec(apiType)?.[1];
  if (entry !== undefined) {
    return isMap(value)
      ? Object.entries(value).flatMap(([key, v]) => strictErrors(v, entry, `${path}/${key}`))
      : [`${path} must be a map`];
  }
  const leaf = LEAF_TYPES.get(apiType);
  if (leaf !== undefined) return leaf(value) ? [] : [`${path} must be ${apiType}`];
  const fields = apiFields(apiType);
  if (fields === undefined) throw new Error(`Cannot check ${path}: no API type ${apiType}`);
  if (!isMap(value)) return [`${path} must be a map (${apiType})`];
  return Object.entries(value).flatMap(([key, v]) => {
    const field = fields.find((f) => f.baseName === key);
    return field === undefined
      ? [`${path}/${key} is not a field of ${apiType}`]
      : strictErrors(v, field.type, `${path}/${key}`);
  });
}

/** Every way `manifest` departs from the Kubernetes API; empty when it is valid. */
export function apiErrors(manifest: unknown): string[] {
  if (!isMap(manifest)) return ["the document is not a map"];
  const kind = `${manifest.apiVersion} ${manifest.kind}`;
  const type = API_TYPES.get(kind);
  if (type === undefined) return [`no schema for ${kind}`];
  const errors = strictErrors(manifest, type.apiType, "");
  try {
    new type.model(manifest as never).validate();
  } catch (error) {
    // Ajv's ValidationError, one entry per failed rule.
    if (!(error instanceof Error && "errors" in error && Array.isArray(error.errors))) throw error;
    for (const e of error.errors as { instancePath: string; message?: string }[]) {
      errors.push(`${e.instancePath} ${e.message}`);
    }
  }
  return errors;
}
