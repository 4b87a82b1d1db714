import * as grpc from '@grpc/grpc-js';
import type Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import * as protobuf from 'protobufjs';
import type { RegistryCredentials } from '../registry/registry-credentials';

/**
 * A BuildKit session: the client side of `POST /session`, where the daemon calls back into us over gRPC for what
 * only the client has. Dockerode 5 opens a session for `version: '2'` builds, but it serves registry credentials
 * only, has no health service (BuildKit drops a session whose health check fails, after about a second) and no
 * secrets service, and offers no hook to add one. So the session is ours: health, secrets and registry credentials.
 */

// The messages of the three services, as BuildKit's .proto files define them (only the fields used).
const HEALTH_PROTO = `
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { int32 status = 1; }
`;
const SECRETS_PROTO = `
syntax = "proto3";
package moby.buildkit.secrets.v1;
message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
message GetSecretResponse { bytes data = 1; }
`;
const AUTH_PROTO = `
syntax = "proto3";
package moby.filesync.v1;
message CredentialsRequest { string Host = 1; }
message CredentialsResponse { string Username = 1; string Secret = 2; }
`;

const root = new protobuf.Root();
for (const text of [HEALTH_PROTO, SECRETS_PROTO, AUTH_PROTO]) {
  protobuf.parse(text, root, { keepCase: true });
}

/** A unary gRPC method whose messages are the protobuf types `request` and `response`. */
function unary(path: string, request: string, response: string): grpc.MethodDefinition<object, object> {
  const [requestType, responseType] = [root.lookupType(request), root.lookupType(response)];
  const encode = (type: protobuf.Type) => (value: object) => Buffer.from(type.encode(type.fromObject(value)).finish());
  const decode = (type: protobuf.Type) => (bytes: Buffer) => type.toObject(type.decode(bytes));
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: encode(requestType),
    requestDeserialize: decode(requestType),
    responseSerialize: encode(responseType),
    responseDeserialize: decode(responseType),
  };
}

const HEALTH_CHECK = unary('/grpc.health.v1.Health/Check', 'grpc.health.v1.HealthCheckRequest', 'grpc.health.v1.HealthCheckResponse');
const GET_SECRET = unary('/moby.buildkit.secrets.v1.Secrets/GetSecret', 'moby.buildkit.secrets.v1.GetSecretRequest', 'moby.buildkit.secrets.v1.GetSecretResponse');
const CREDENTIALS = unary('/moby.filesync.v1.Auth/Credentials', 'moby.filesync.v1.CredentialsRequest', 'moby.filesync.v1.CredentialsResponse');

type Handler = (request: Record<string, unknown>) => { value?: object; error?: Partial<grpc.StatusObject> };

function service(method: grpc.MethodDefinition<object, object>, handler: Handler): [grpc.ServiceDefinition, grpc.UntypedServiceImplementation] {
  const name = method.path.split('/')[2];
  const implementation: grpc.handleUnaryCall<object, object> = (call, callback) => {
    const { value, error } = handler(call.request as Record<string, unknown>);
    callback(error ?? null, value);
  };
  return [{ [name]: method }, { [name]: implementation }];
}

export interface BuildKitSession {
  id: string;
  close: () => void;
}

/** Opens a session that hands BuildKit the given secrets (id -> value) and the registry credentials we know. */
export function openSession(
  docker: Docker,
  secrets: Record<string, string>,
  credentialsFor: (host: string) => RegistryCredentials | undefined,
): Promise<BuildKitSession> {
  const id = randomUUID();
  const server = new grpc.Server();
  // SERVING: BuildKit checks every second and closes the session when the answer is anything else.
  server.addService(...service(HEALTH_CHECK, () => ({ value: { status: 1 } })));
  server.addService(
    ...service(GET_SECRET, ({ ID }) =>
      typeof ID === 'string' && ID in secrets
        ? { value: { data: Buffer.from(secrets[ID]) } }
        : { error: { code: grpc.status.NOT_FOUND, details: `secret ${String(ID)} is not given to this build` } },
    ),
  );
  server.addService(
    ...service(CREDENTIALS, ({ Host }) => {
      const credentials = credentialsFor(String(Host));
      return { value: credentials ? { Username: credentials.username, Secret: credentials.password } : {} };
    }),
  );
  const headers = {
    Upgrade: 'h2c',
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': 'datahub-docker-stack',
    'X-Docker-Expose-Session-Grpc-Method': [HEALTH_CHECK, GET_SECRET, CREDENTIALS].map((method) => method.path),
  };
  return new Promise((resolve, reject) => {
    docker.modem.dial({ method: 'POST', path: '/session', hijack: true, headers, statusCodes: { 200: true, 500: 'server error' } }, (error, socket) => {
      if (error) {
        reject(error);
        return;
      }
      server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket as Socket);
      resolve({
        id,
        close: () => {
          server.forceShutdown();
          (socket as Socket).end();
        },
      });
    });
  });
}
