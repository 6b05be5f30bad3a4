/**
 * The `kaleyra` plugin over real gRPC (the engine's side of the protocol played by a client in
 * this process) against the emulator: config, check, the per-property diff, create / update /
 * read / delete, and the schema. The real engine drives it in tests/plugin-cli.test.ts.
 */
import { strict as assert } from "node:assert";

import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as providerrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerproto from "@pulumi/pulumi/proto/provider_pb";

import { startEmulator, RunningEmulator } from "../../provider/emulator";
import { FIELD_LIST } from "../../provider/contract/fields";
import { SETTING_KEYS } from "../../provider/engine/config";
import { SECRET_SIGNATURE } from "../../provider/plugin/config";
import { packageSchema, PROFILE_TOKEN } from "../../provider/plugin/schema";
import { KaleyraPlugin, serve } from "../../provider/plugin/server";
import { fullProfile } from "../helpers/profiles";

const KEY = "Aplugin0test0key0not0a0secret0001";
const NUMBER = "+919876543210";
const URN = `urn:pulumi:dev::p::${PROFILE_TOKEN}::support`;
const Kind = providerproto.PropertyDiff.Kind;

type Props = Record<string, unknown>;
const struct = (value: Props) => structproto.Struct.fromJavaScript(value as Record<string, structproto.JavaScriptValue>);

/** One unary call as a promise. */
function call<Req, Res>(client: providerrpc.ResourceProviderClient, method: string, request: Req): Promise<Res> {
    const fn = (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!.bind(client);
    return new Promise((resolve, reject) => fn(request, (error, response) => (error ? reject(error) : resolve(response))));
}

/** The gRPC error a call fails with (the test fails if it succeeds). */
function grpcFailure(pending: Promise<unknown>): Promise<grpc.ServiceError> {
    return pending.then(
        () => assert.fail("expected the call to fail"),
        (e: grpc.ServiceError) => e,
    );
}

describe("kaleyra plugin (gRPC, in process)", () => {
    let emulator: RunningEmulator;
    let server: grpc.Server;
    let client: providerrpc.ResourceProviderClient;
    const logged: string[] = [];

    beforeEach(async () => {
        emulator = await startEmulator({ apiKey: KEY, numbers: [NUMBER, "+919876543211"], quiet: true });
        const served = await serve(new KaleyraPlugin({ version: "1.2.3", env: {}, log: (line) => logged.push(line) }));
        server = served.server;
        client = new providerrpc.ResourceProviderClient(`127.0.0.1:${served.port}`, grpc.credentials.createInsecure());
    });
    afterEach(async () => {
        client.close();
        server.forceShutdown();
        await emulator.close();
    });

    async function configure(args: Props): Promise<providerproto.ConfigureResponse> {
        const request = new providerproto.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true);
        return call(client, "configure", request);
    }
    const settings = () => ({ sid: emulator.sid, apiKey: KEY, endpoint: emulator.url });

    async function check(news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const response = await call<providerproto.CheckRequest, providerproto.CheckResponse>(
            client,
            "check",
            new providerproto.CheckRequest().setUrn(URN).setOlds(struct({})).setNews(struct(news)),
        );
        return {
            inputs: response.getInputs()!.toJavaScript() as Props,
            failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async function diff(olds: Props, news: Props): Promise<providerproto.DiffResponse> {
        return call(client, "diff", new providerproto.DiffRequest().setId(String(olds.waNumber)).setUrn(URN).setOlds(struct(olds)).setNews(struct(news)));
    }
    function kinds(response: providerproto.DiffResponse): Record<string, providerproto.PropertyDiff.Kind> {
        const out: Record<string, providerproto.PropertyDiff.Kind> = {};
        response.getDetaileddiffMap().forEach((value, key) => (out[key] = value.getKind()));
        return out;
    }

    it("serves the schema built from the field table, with apiKey secret and waNumber replacing", async () => {
        const response = await call<providerproto.GetSchemaRequest, providerproto.GetSchemaResponse>(client, "getSchema", new providerproto.GetSchemaRequest());
        const schema = JSON.parse(response.getSchema()) as ReturnType<typeof packageSchema>;
        assert.deepEqual(schema, packageSchema("1.2.3"));
        const resource = schema.resources[PROFILE_TOKEN]!;
        assert.deepEqual(Object.keys(resource.inputProperties).sort(), ["waNumber", ...FIELD_LIST.map((f) => f.name)].sort());
        assert.equal(resource.inputProperties.waNumber!.replaceOnChanges, true);
        assert.equal(schema.config.variables.apiKey!.secret, true);
        assert.deepEqual(Object.keys(schema.config.variables).sort(), Object.keys(SETTING_KEYS).sort());
        const info = await call<emptyproto.Empty, { getVersion(): string }>(client, "getPluginInfo", new emptyproto.Empty());
        assert.equal(info.getVersion(), "1.2.3");
    });

    it("CheckConfig marks apiKey secret even when it was set in plain text", async () => {
        const response = await call<providerproto.CheckRequest, providerproto.CheckResponse>(
            client,
            "checkConfig",
            new providerproto.CheckRequest().setNews(struct({ sid: "HX1", apiKey: KEY })),
        );
        const inputs = response.getInputs()!.toJavaScript() as Props;
        assert.deepEqual(inputs.apiKey, { [SECRET_SIGNATURE.key]: SECRET_SIGNATURE.value, value: KEY });
        assert.equal(inputs.sid, "HX1");
    });

    it("CheckConfig fails a bad setting with the message up would give, and lets missing credentials wait for up", async () => {
        const failures = async (news: Props) =>
            (
                await call<providerproto.CheckRequest, providerproto.CheckResponse>(client, "checkConfig", new providerproto.CheckRequest().setNews(struct(news)))
            )
                .getFailuresList()
                .map((f) => `${f.getProperty()}: ${f.getReason()}`);
        assert.deepEqual(await failures({ region: "eu" }), []);
        assert.deepEqual(await failures({ sid: "HX1", apiKey: KEY, endpoint: "http://127.0.0.1:4010", maxConcurrency: "4" }), []);
        const [region] = await failures({ region: "mars" });
        assert.match(region!, /^region: kaleyra:region \(or KALEYRA_REGION\) must be one of in, ap, eu, na; got "mars"/);
        const [concurrency] = await failures({ maxConcurrency: "0" });
        assert.match(concurrency!, /^maxConcurrency: kaleyra:maxConcurrency .* from 1 to 256/);
    });

    it("check normalizes and names the property and the fix of a bad value", async () => {
        const ok = await check({ waNumber: NUMBER, businessCategory: "hotel and lodging" });
        assert.deepEqual(ok.failures, []);
        assert.equal(ok.inputs.businessCategory, "Hotel and Lodging");
        const bad = await check({ waNumber: NUMBER, contactEmail: "not-an-email", colour: "red" });
        assert.deepEqual(bad.failures.map((f) => f.property).sort(), ["colour", "contactEmail"]);
        assert.match(bad.failures.find((f) => f.property === "contactEmail")!.reason, /email/i);
    });

    it("diff says what happens to each property: add, update, delete, replace", async () => {
        const olds = { waNumber: NUMBER, about: "Old", website: "https://a.example.com" };
        const none = await diff(olds, { ...olds });
        assert.equal(none.getChanges(), providerproto.DiffResponse.DiffChanges.DIFF_NONE);
        assert.deepEqual(kinds(none), {});

        const edited = await diff(olds, { waNumber: NUMBER, about: "New", address: "12 MG Road" });
        assert.equal(edited.getChanges(), providerproto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(edited.getReplacesList(), []);
        assert.deepEqual(kinds(edited), { about: Kind.UPDATE, address: Kind.ADD, website: Kind.DELETE });

        const moved = await diff(olds, { ...olds, waNumber: "+919876543211" });
        assert.deepEqual(moved.getReplacesList(), ["waNumber"]);
        assert.deepEqual(kinds(moved), { waNumber: Kind.UPDATE_REPLACE });
    });

    it("create, update, read and delete: one PUT per create or change, none otherwise, the key never echoed", async () => {
        const configured = await configure(settings());
        assert.equal(configured.getAcceptsecrets(), false);
        const profile = fullProfile({ waNumber: NUMBER });
        const created = await call<providerproto.CreateRequest, providerproto.CreateResponse>(
            client,
            "create",
            new providerproto.CreateRequest().setUrn(URN).setProperties(struct(profile as unknown as Props)),
        );
        assert.equal(created.getId(), NUMBER);
        assert.deepEqual(created.getProperties()!.toJavaScript(), profile);

        const olds = created.getProperties()!.toJavaScript() as Props;
        await call(client, "update", new providerproto.UpdateRequest().setId(NUMBER).setUrn(URN).setOlds(struct(olds)).setNews(struct({ ...olds, about: "Changed" })));
        const withoutWebsite: Props = { ...olds };
        delete withoutWebsite.website;
        await call(client, "update", new providerproto.UpdateRequest().setId(NUMBER).setUrn(URN).setOlds(struct(olds)).setNews(struct(withoutWebsite)));
        const bodies = emulator.kaleyraRequests().map((r) => r.body);
        assert.equal(bodies.length, 2, "a removed field makes no PUT");
        assert.deepEqual(bodies[1], { wa_number: NUMBER, about: "Changed" });

        const read = await call<providerproto.ReadRequest, providerproto.ReadResponse>(
            client,
            "read",
            new providerproto.ReadRequest().setId(NUMBER).setUrn(URN).setProperties(struct(olds)).setInputs(struct(olds)),
        );
        assert.deepEqual(read.getProperties()!.toJavaScript(), olds);
        await call(client, "delete", new providerproto.DeleteRequest().setId(NUMBER).setUrn(URN).setProperties(struct(olds)));
        assert.equal(emulator.kaleyraRequests().length, 2, "delete makes no call");
        assert.ok(!logged.join("\n").includes(KEY));
    });

    it("a Kaleyra validation error fails the create with Kaleyra's message, without the key", async () => {
        await configure(settings());
        const request = new providerproto.CreateRequest().setUrn(URN).setProperties(struct({ waNumber: "+919999999999", about: "Hi" }));
        const error = await grpcFailure(call(client, "create", request));
        assert.match(error.details, /WA401.*check waNumber and kaleyra:sid/);
        assert.ok(!error.details.includes(KEY));
        assert.equal(emulator.profile("+919999999999"), undefined);
    });

    it("takes the credentials from KALEYRA_SID and KALEYRA_API_KEY when the config has none, as the dynamic resource does", async () => {
        const served = await serve(new KaleyraPlugin({ version: "1.2.3", env: { KALEYRA_SID: emulator.sid, KALEYRA_API_KEY: KEY }, log: () => undefined }));
        const other = new providerrpc.ResourceProviderClient(`127.0.0.1:${served.port}`, grpc.credentials.createInsecure());
        try {
            await call(other, "configure", new providerproto.ConfigureRequest().setArgs(struct({ endpoint: emulator.url })));
            const created = await call<providerproto.CreateRequest, providerproto.CreateResponse>(
                other,
                "create",
                new providerproto.CreateRequest().setUrn(URN).setProperties(struct({ waNumber: NUMBER, about: "From the environment" })),
            );
            assert.equal(created.getId(), NUMBER);
            assert.equal(emulator.profile(NUMBER)?.about, "From the environment");
        } finally {
            other.close();
            served.server.forceShutdown();
        }
    });

    it("an import (read with no recorded state) fails saying the profile cannot be read", async () => {
        await configure(settings());
        const error = await grpcFailure(call(client, "read", new providerproto.ReadRequest().setId(NUMBER).setUrn(URN)));
        assert.match(error.details, /cannot be imported/);
    });

    it("rejects a resource type the package does not define, naming the one it does", async () => {
        const request = new providerproto.CheckRequest().setUrn("urn:pulumi:dev::p::kaleyra:index:Other::x").setNews(struct({}));
        const error = await grpcFailure(call(client, "check", request));
        assert.match(error.details, new RegExp(PROFILE_TOKEN));
    });
});
