export interface ImageGeneratorSchema {
  name: string;
  parent?: string;
  base?: string;
  imageName?: string;
  stackDir?: string;
}
