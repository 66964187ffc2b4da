import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

type Product = StripeSdk.Product;

/** `io.stripe.products`: what you sell. Other `products.*` methods pass through. */
export class Products extends TaskNamespace<StripeSdk> {
  /**
   * Creates a product.
   * @see https://docs.stripe.com/api/products/create
   */
  create(key: IntegrationTaskKey, params: StripeSdk.ProductCreateParams): Promise<TaskOutput<Product>> {
    return this.task<Product>(key, (client) => client.products.create(params), {
      name: "Create Product",
      params,
      properties: propertiesOf(params, { Name: "name" }),
      idempotency: "native",
    });
  }

  /**
   * Reads a product.
   * @see https://docs.stripe.com/api/products/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.ProductRetrieveParams,
  ): Promise<TaskOutput<Product>> {
    return this.task<Product>(key, (client) => client.products.retrieve(id, params), {
      name: "Retrieve Product",
      params: { id, ...params },
      properties: [{ label: "Product", text: id }],
      idempotency: "idempotent",
    });
  }

  /**
   * Lists products, newest first (one page; `listAll` walks them).
   * @see https://docs.stripe.com/api/products/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.ProductListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<Product>>> {
    return this.task<StripeSdk.ApiList<Product>>(key, (client) => client.products.list(params), {
      name: "List Products",
      ...(params !== undefined && { params }),
      idempotency: "idempotent",
    });
  }

  /**
   * Every product up to `limit`, through the SDK's own auto-pagination.
   * @see https://docs.stripe.com/api/pagination/auto
   */
  listAll(
    key: IntegrationTaskKey,
    params: StripeSdk.ProductListParams,
    options: { limit: number },
  ): Promise<TaskOutput<Product[]>> {
    return this.pages<Product>(
      key,
      { pages: (client) => client.products.list(params), limit: options.limit },
      { name: "List All Products", params },
    );
  }
}
