// Response shapes of the model provider and model routes (docs/api.md), produced by
// serialize.ts. Types only: the browser imports them too.

export interface ModelProvider {
  id: string;
  kind: "openai-compatible" | "openai" | "anthropic";
  display_name: string;
  base_url: string;
  has_api_key: boolean;
  models: string[];
  default_model: string | null;
  created_at: string;
  updated_at: string;
}

export interface ModelOption {
  /** `<provider_id>:<model>` */
  id: string;
  provider_id: string;
  /** Tells apart two providers that offer a model of the same name. */
  provider_name: string;
  name: string;
  is_default: boolean;
}
