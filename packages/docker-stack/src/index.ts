/** The Nx plugin (`createNodes`), and what other packages of the workspace (e2e suites, tools) use of the stack model. */
export { createNodes, type DockerStackPluginOptions } from './plugins/plugin';
export { loadStack } from './stack/load';
export { DEFAULT_BUILD_ALL } from './stack/model';
export { stackDiagram, withDiagram } from './stack/mermaid';
