export { TopologyDiagram } from './TopologyDiagram';
export { layoutTopology } from './layoutTopology';
