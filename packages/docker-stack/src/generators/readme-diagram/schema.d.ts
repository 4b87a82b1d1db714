export interface ReadmeDiagramGeneratorSchema {
  stackDir?: string;
  readme?: string;
}
