import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

type Price = StripeSdk.Price;

/** `io.stripe.prices`: what a product costs, once or recurring. Other `prices.*` methods pass through. */
export class Prices extends TaskNamespace<StripeSdk> {
  /**
   * Creates a price for a product (or for a new one, with `product_data`).
   * @see https://docs.stripe.com/api/prices/create
   */
  create(key: IntegrationTaskKey, params: StripeSdk.PriceCreateParams): Promise<TaskOutput<Price>> {
    return this.task<Price>(key, (client) => client.prices.create(params), {
      name: "Create Price",
      params,
      properties: propertiesOf(params, { Product: "product", Amount: "unit_amount", Currency: "currency" }),
      idempotency: "native",
    });
  }

  /**
   * Reads a price.
   * @see https://docs.stripe.com/api/prices/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.PriceRetrieveParams,
  ): Promise<TaskOutput<Price>> {
    return this.task<Price>(key, (client) => client.prices.retrieve(id, params), {
      name: "Retrieve Price",
      params: { id, ...params },
      properties: [{ label: "Price", text: id }],
      idempotency: "idempotent",
    });
  }

  /**
   * Lists prices, newest first (one page; `listAll` walks them).
   * @see https://docs.stripe.com/api/prices/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.PriceListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<Price>>> {
    return this.task<StripeSdk.ApiList<Price>>(key, (client) => client.prices.list(params), {
      name: "List Prices",
      ...(params !== undefined && { params }),
      properties: propertiesOf(params, { Product: "product" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Every price up to `limit`, through the SDK's own auto-pagination.
   * @see https://docs.stripe.com/api/pagination/auto
   */
  listAll(
    key: IntegrationTaskKey,
    params: StripeSdk.PriceListParams,
    options: { limit: number },
  ): Promise<TaskOutput<Price[]>> {
    return this.pages<Price>(
      key,
      { pages: (client) => client.prices.list(params), limit: options.limit },
      { name: "List All Prices", params, properties: propertiesOf(params, { Product: "product" }) },
    );
  }
}
