export { createNodes, type DockerStackPluginOptions } from './plugins/plugin';
