import { Errors } from "@/lib/errors";
import { json, route } from "@/lib/api/route";
import {
  clientMetadataDocument,
  clientMetadataDocumentUrl,
} from "@/lib/mcp-config/client-metadata";

/**
 * toolgate's OAuth client metadata document, fetched by authorization servers that accept a
 * URL as client_id. Public and the same for everyone: it holds no secret. 404 when APP_URL is
 * not https, as toolgate then never uses it.
 */
export const GET = route({
  access: "public",
  async handler() {
    const url = clientMetadataDocumentUrl();
    if (url === null) throw Errors.notFound("client_metadata", "Client metadata document");
    const res = json(clientMetadataDocument(url));
    res.headers.set("cache-control", "public, max-age=3600");
    return res;
  },
});
