import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UserNotConfirmedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoEdgeService } from '../../../../local/cognito/cognito-edge-service';
import { decodeJwt } from '../../../../local/cognito/token-signer';
import { verifyCognitoToken } from '../../../../local/cognito/token-verifier';
import { LocalUserPool } from '../../../../local/cognito/user-pool';
import { EdgeServer } from '../../../../local/edge/edge-server';

const POOL_ID = 'us-east-1_Local1234';
const PASSWORD = 'Correct-horse-1';

let edge: EdgeServer;
let client: CognitoIdentityProviderClient;
let pool: LocalUserPool;
let edgeUrl: string;

beforeAll(async () => {
  edge = new EdgeServer();
  ({ url: edgeUrl } = await edge.listen(0, '127.0.0.1'));
  pool = new LocalUserPool({
    id: POOL_ID,
    issuer: `${edgeUrl}/${POOL_ID}`,
    clients: [{ id: 'web', name: 'web', explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
    groups: ['staff'],
  });
  edge.register(cognitoEdgeService(new Map([[POOL_ID, pool]])));
  client = new CognitoIdentityProviderClient({ endpoint: edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  client.destroy();
  await edge.close();
});

describe('cognito-idp on the edge, through the AWS SDK', () => {
  it('signs a customer up, confirms them as an admin, and signs them in with USER_PASSWORD_AUTH, then refreshes', async () => {
    // Prepare
    const signedUp = await client.send(new SignUpCommand({ ClientId: 'web', Username: 'ada', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ada@example.com' }] }));
    await expect(client.send(new InitiateAuthCommand({ ClientId: 'web', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD } }))).rejects.toBeInstanceOf(
      UserNotConfirmedException,
    );
    await client.send(new AdminConfirmSignUpCommand({ UserPoolId: POOL_ID, Username: 'ada' }));

    // Act
    const signedIn = await client.send(new InitiateAuthCommand({ ClientId: 'web', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada', PASSWORD } }));
    const refreshed = await client.send(
      new InitiateAuthCommand({ ClientId: 'web', AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: String(signedIn.AuthenticationResult?.RefreshToken) } }),
    );

    // Assess
    const idToken = String(signedIn.AuthenticationResult?.IdToken);
    expect(decodeJwt(idToken)?.claims).toMatchObject({ sub: signedUp.UserSub, email: 'ada@example.com', token_use: 'id', iss: `${edgeUrl}/${POOL_ID}` });
    expect(refreshed.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const jwks = (await (await fetch(`${edgeUrl}/${POOL_ID}/.well-known/jwks.json`)).json()) as { keys: Parameters<typeof verifyCognitoToken>[1][number]['keys'] };
    expect(verifyCognitoToken(idToken, [{ issuer: `${edgeUrl}/${POOL_ID}`, keys: jwks.keys, clientIds: ['web'] }]).ok).toBe(true);
  });

  it("creates staff as an admin, answers the new-password challenge, and puts the group in the staff member's token", async () => {
    await client.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'sam', TemporaryPassword: 'Temporary-pass-1', MessageAction: 'SUPPRESS' }));
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId: POOL_ID, Username: 'sam', GroupName: 'staff' }));

    const challenge = await client.send(new InitiateAuthCommand({ ClientId: 'web', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'sam', PASSWORD: 'Temporary-pass-1' } }));
    const answered = await client.send(
      new RespondToAuthChallengeCommand({ ClientId: 'web', ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'sam', NEW_PASSWORD: PASSWORD } }),
    );

    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(decodeJwt(String(answered.AuthenticationResult?.AccessToken))?.claims['cognito:groups']).toEqual(['staff']);
  });

  it('answers a wrong password with the exception the SDK knows, and the OpenID configuration names the JWKS', async () => {
    await client.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'bob', MessageAction: 'SUPPRESS' }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL_ID, Username: 'bob', Password: PASSWORD, Permanent: true }));

    await expect(client.send(new InitiateAuthCommand({ ClientId: 'web', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Wrong-password-1' } }))).rejects.toBeInstanceOf(
      NotAuthorizedException,
    );
    const configuration = (await (await fetch(`${edgeUrl}/${POOL_ID}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    expect(configuration.jwks_uri).toBe(`${edgeUrl}/${POOL_ID}/.well-known/jwks.json`);
  });
});
