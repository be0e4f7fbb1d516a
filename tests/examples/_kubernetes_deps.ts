/**
 * The npm packages of the Kubernetes checks, pinned beside them rather than in
 * `tests/_dev_deps.ts`: they are large, and the other tests need not load them (nor any build
 * embed them, as for every test-only package).
 *
 * @module
 */

export * as kubernetesApiModels from "npm:@kubernetes/client-node@2.0.1/dist/gen/models/all.js";
export { Deployment as DeploymentModel } from "npm:kubernetes-models@5.1.0/apps/v1/Deployment";
export { Service as ServiceModel } from "npm:kubernetes-models@5.1.0/v1/Service";
export {
  HorizontalPodAutoscaler as HorizontalPodAutoscalerModel,
} from "npm:kubernetes-models@5.1.0/autoscaling/v2/HorizontalPodAutoscaler";
