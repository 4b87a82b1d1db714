/** The Nx plugin (`createNodes`, and `inferStack`: the same without its cache), and what other packages of the workspace (e2e suites, tools) use of the stack model. */
export { createNodes, inferStack, type DockerStackPluginOptions } from './plugins/plugin';
export { loadStack } from './stack/load';
export { DEFAULT_BUILD_ALL } from './stack/model';
export { stackDiagram, withDiagram } from './stack/mermaid';
export { imageStoreOf, type ImageStore } from './docker/image-store';
